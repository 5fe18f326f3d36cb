import pino, { type Logger } from 'pino';

/**
 * Structured logs (JSON lines) for the server side. Tokens, cookies, codes and
 * secrets are redacted by path, and `redactText` scrubs anything token-shaped
 * that might hide inside an error message, so a log line can be pasted into an
 * issue without leaking a session.
 */

const REDACT_PATHS = [
  'token', 'accessToken', 'refreshToken', 'idToken', 'code', 'codeVerifier', 'code_verifier',
  'password', 'secret', 'clientSecret', 'apiKey', 'authorization', 'cookie', 'set-cookie',
  '*.token', '*.accessToken', '*.refreshToken', '*.idToken', '*.code', '*.codeVerifier',
  '*.secret', '*.clientSecret', '*.apiKey', '*.authorization', '*.cookie',
  'req.headers.authorization', 'req.headers.cookie', 'headers.authorization', 'headers.cookie',
  'headers["set-cookie"]',
];

const globalForLog = globalThis as unknown as { teamgateLogger?: Logger };

function level(): string {
  if (process.env.LOG_LEVEL) return process.env.LOG_LEVEL;
  return process.env.NODE_ENV === 'test' ? 'silent' : 'info';
}

export const log: Logger =
  globalForLog.teamgateLogger ??
  (globalForLog.teamgateLogger = pino({
    level: level(),
    base: { app: 'teamgate' },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    formatters: { level: (label) => ({ level: label }) },
    timestamp: pino.stdTimeFunctions.isoTime,
  }));

/** Replace JWTs, bearer values, Scalekit/API secrets and long opaque tokens in free text. */
export function redactText(text: string): string {
  return text
    .replace(/eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*/g, '[jwt]')
    .replace(/(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, '$1 [redacted]')
    .replace(/\b(sks|tg|whsec|rt|sk)_[A-Za-z0-9_-]{8,}/g, '$1_[redacted]')
    .replace(/\bv1\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}/g, '[ciphertext]');
}

/** An error as a loggable object with its message scrubbed (stack kept for our own frames). */
export function errorForLog(error: unknown): { name: string; message: string; stack?: string } {
  if (error instanceof Error) {
    return { name: error.name, message: redactText(error.message), stack: error.stack ? redactText(error.stack) : undefined };
  }
  return { name: 'NonError', message: redactText(String(error)) };
}
