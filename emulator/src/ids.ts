import { createHash, randomBytes, randomInt } from 'node:crypto';

/** Scalekit-style ids: a type prefix and a long random number (e.g. usr_86204718399216547). */
export function newId(prefix: string): string {
  // A non-zero digit, then 16 uniform digits in two draws of 8 (a draw per digit cost more than
  // the rest of minting an id; every user, event and email gets one).
  const eight = () => String(randomInt(0, 100_000_000)).padStart(8, '0');
  return `${prefix}_${randomInt(1, 10)}${eight()}${eight()}`;
}

/** An unguessable opaque token (auth codes, refresh tokens, flow and browser-session ids). */
export function newSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('base64url');
}

export function sixDigitCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

/** A stable Scalekit-style id for a seed entity that names none, so a reset gives it the same id. */
export function seededId(prefix: string, key: string): string {
  const digest = createHash('sha256').update(key).digest();
  let digits = String((digest[0]! % 9) + 1);
  for (let i = 1; digits.length < 17; i++) digits += String(digest[i]! % 10);
  return `${prefix}_${digits}`;
}
