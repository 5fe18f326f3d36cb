/**
 * Finds a secret in log text only where it stands as a whole token. A plain substring search
 * made a 6-digit one-time code "leak" whenever the same digits appeared inside an unrelated
 * number (a timestamp, a latency, a port), which made the redaction spec flaky. A real leak is
 * always delimited (a JSON string, a query parameter, a header value), so requiring a non-token
 * character (or the start/end of the text) on both sides loses no true positive. "." counts as
 * part of a token so that digits after a decimal point are not a separate number.
 */
const TOKEN_CHAR = '[A-Za-z0-9_.-]';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function containsToken(text: string, secret: string): boolean {
  if (!secret) return false;
  return new RegExp(`(?<!${TOKEN_CHAR})${escapeRegExp(secret)}(?!${TOKEN_CHAR})`).test(text);
}

export function leakedSecrets(text: string, secrets: Iterable<string>): string[] {
  return [...secrets].filter((secret) => containsToken(text, secret));
}
