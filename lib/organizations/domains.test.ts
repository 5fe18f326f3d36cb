import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_ALLOWED_DOMAINS, parseDomainList } from '@/lib/organizations/domains';

describe('parseDomainList', () => {
  it('normalises case, strips "@", splits on commas, spaces and newlines, and deduplicates', () => {
    expect(parseDomainList(' Acme.COM, @globex.test\nacme.com  sub.acme.co.uk ')).toEqual({
      ok: true,
      domains: ['acme.com', 'globex.test', 'sub.acme.co.uk'],
    });
  });

  it('an empty input is the empty list (any domain)', () => {
    expect(parseDomainList('  ')).toEqual({ ok: true, domains: [] });
  });

  it.each(['localhost', 'acme', '*.acme.com', 'acme..com', '-acme.com', 'acme.com-', 'a b.com', 'ac_me.com', 'acme.c0m', 'x@acme.com'])(
    'refuses %s with a message naming it',
    (bad) => {
      const result = parseDomainList(bad);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.message).toContain('is not a domain name');
    },
  );

  it(`refuses more than ${MAX_ALLOWED_DOMAINS} domains`, () => {
    const many = Array.from({ length: MAX_ALLOWED_DOMAINS + 1 }, (_, i) => `d${i}.example.com`);
    expect(parseDomainList(many)).toEqual({ ok: false, message: `At most ${MAX_ALLOWED_DOMAINS} domains are allowed.` });
  });

  it('never throws, and whatever it accepts matches the domain pattern', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        const result = parseDomainList(text);
        if (result.ok) for (const d of result.domains) expect(d).toMatch(/^[a-z0-9.-]+$/);
      }),
      { numRuns: 300 },
    );
  });
});
