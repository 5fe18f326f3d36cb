/**
 * The organization's allowed email domains for invitations. An empty list means any domain.
 * Domains are stored lower-cased, without a leading "@", deduplicated, in the order given.
 */

export const MAX_ALLOWED_DOMAINS = 50;

// A DNS name with at least one dot: labels of letters, digits and inner hyphens, a letter TLD
// (or an IDN's xn-- form). No wildcards: "acme.com" already admits only exactly @acme.com.
const DOMAIN_PATTERN = /^(?=.{3,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

export type DomainListResult = { ok: true; domains: string[] } | { ok: false; message: string };

/** Parse what an admin typed (comma, space or newline separated) into a clean list. */
export function parseDomainList(input: string | readonly string[]): DomainListResult {
  const items = (typeof input === 'string' ? input.split(/[\s,;]+/) : [...input])
    .map((d) => d.trim().toLowerCase().replace(/^@/, ''))
    .filter(Boolean);
  const domains: string[] = [];
  for (const item of items) {
    if (!DOMAIN_PATTERN.test(item)) {
      return { ok: false, message: `"${item.slice(0, 80)}" is not a domain name (expected something like acme.com).` };
    }
    if (!domains.includes(item)) domains.push(item);
  }
  if (domains.length > MAX_ALLOWED_DOMAINS) return { ok: false, message: `At most ${MAX_ALLOWED_DOMAINS} domains are allowed.` };
  return { ok: true, domains };
}
