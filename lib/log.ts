import { AsyncLocalStorage } from 'node:async_hooks';
import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * Structured logs (JSON lines) for the server side. Tokens, cookies, codes and
 * secrets are redacted by path, and `redactText` scrubs anything token-shaped
 * that might hide inside an error message, so a log line can be pasted into an
 * issue without leaking a session.
 */

const REDACT_PATHS = [
  'token',
  'accessToken',
  'refreshToken',
  'idToken',
  'code',
  'codeVerifier',
  'code_verifier',
  'password',
  'secret',
  'clientSecret',
  'apiKey',
  'authorization',
  'cookie',
  'set-cookie',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.idToken',
  '*.code',
  '*.codeVerifier',
  '*.secret',
  '*.clientSecret',
  '*.apiKey',
  '*.authorization',
  '*.cookie',
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
  'headers["set-cookie"]',
];

const globalForLog = globalThis as unknown as { teamgateLogger?: Logger };

function level(): string {
  if (process.env.LOG_LEVEL) return process.env.LOG_LEVEL;
  return process.env.NODE_ENV === 'test' ? 'silent' : 'info';
}

interface RequestContext {
  requestId: string;
}

// On globalThis so every bundle of this module in one process (Next.js compiles route handlers,
// pages and instrumentation.ts separately) reads the same store.
const globalForContext = globalThis as unknown as { teamgateRequestContext?: AsyncLocalStorage<RequestContext> };
const requestContext = (globalForContext.teamgateRequestContext ??= new AsyncLocalStorage<RequestContext>());

/** Run `fn` as part of the request with this id: every line it logs, however deep, carries the id. */
export function runWithRequestId<T>(requestId: string, fn: () => T): T {
  return requestContext.run({ requestId }, fn);
}

/**
 * Enter a request's context for the rest of the current execution and everything it starts. For
 * the one place that sees a request begin without wrapping its handler: the http server's
 * request-start hook (lib/http/request-start.ts).
 */
export function enterRequest(requestId: string): void {
  requestContext.enterWith({ requestId });
}

/**
 * The x-request-id of the request being served, so every line logged while serving a page,
 * action or route handler carries it without threading a logger through lib/. Outside a request
 * (scripts, tests, start-up) there is none.
 */
export function currentRequestId(): string | undefined {
  return requestContext.getStore()?.requestId;
}

/** A logger with Teamgate's redaction and request id; `destination` lets tests capture lines. */
export function createLogger(destination?: DestinationStream, levelName: string = level()): Logger {
  const options = {
    level: levelName,
    base: { app: 'teamgate' },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    formatters: { level: (label: string) => ({ level: label }) },
    timestamp: pino.stdTimeFunctions.isoTime,
    mixin: () => {
      const requestId = currentRequestId();
      return requestId ? { requestId } : {};
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

export const log: Logger = globalForLog.teamgateLogger ?? (globalForLog.teamgateLogger = createLogger());

/** Replace JWTs, bearer values, Scalekit/API secrets and long opaque tokens in free text. */
export function redactText(text: string): string {
  return (
    text
      .replace(/eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*/g, '[jwt]')
      .replace(/(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, '$1 [redacted]')
      .replace(/\b(sks|tg|whsec|rt|sk)_[A-Za-z0-9_-]{8,}/g, '$1_[redacted]')
      .replace(/\bv1\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}/g, '[ciphertext]')
      // Credentials inside a URL (SMTP_URL, DATABASE_URL): smtp://user:password@host → smtp://[redacted]@host
      .replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/:@]+:[^\s/@]+@/gi, '$1[redacted]@')
  );
}

/** An error as a loggable object with its message scrubbed (stack kept for our own frames). */
export function errorForLog(error: unknown): { name: string; message: string; stack?: string } {
  if (error instanceof Error) {
    return { name: error.name, message: redactText(error.message), stack: error.stack ? redactText(error.stack) : undefined };
  }
  return { name: 'NonError', message: redactText(String(error)) };
}
