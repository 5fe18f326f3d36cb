import { createHash } from 'node:crypto';
import type { Actor } from '@/lib/auth/actor';
import { db } from '@/lib/db';
import { Prisma } from '@/lib/generated/prisma/client';
import { AppError } from '@/lib/errors/app-error';
import { problemJson } from '@/lib/errors/respond';
import type { OrgRouteContext } from '@/lib/http/org-route';
import { readBodyText } from '@/lib/http/read-body';

/**
 * `Idempotency-Key` for POST /api/invitations (the IETF httpapi draft's semantics, as Stripe and
 * most payment APIs use them): a client that timed out may send the same request again with the
 * same key and gets the first answer back, replayed from PostgreSQL, instead of a second run.
 *
 * - Keys are per caller (API key or user) and organization, kept 24 hours.
 * - The same key with a different body (or path) is 422 idempotency_key_reused: a client bug,
 *   never silently answered with another request's result.
 * - While the first request runs, a second one with its key is 409 in_progress (retry shortly).
 * - Only final answers are kept: a 5xx or 429 (Scalekit down, rate limits) releases the key, so
 *   the retry runs again — inviting is itself safe to repeat (an existing invitation answers
 *   already_invited). A request that died mid-way (process killed) leaves its claim; after
 *   STALE_CLAIM_MS it is taken over by the next retry.
 */

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
export const STALE_CLAIM_MS = 2 * 60 * 1000;
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
export const REPLAYED_HEADER = 'Idempotent-Replayed';

function callerOf(actor: Actor): string {
  if (actor.kind === 'api_key') return `api_key:${actor.apiKeyId}`;
  if (actor.kind === 'user') return `user:${actor.userId}`;
  return `system:${actor.label}`;
}

function hashOf(method: string, path: string, body: string): string {
  return createHash('sha256').update(`${method}\n${path}\n${body}`, 'utf8').digest('hex');
}

function final(status: number): boolean {
  return status < 500 && status !== 429;
}

function replay(status: number, body: unknown): Response {
  return Response.json(body, { status, headers: { 'Cache-Control': 'no-store', [REPLAYED_HEADER]: 'true' } });
}

type Claim = { kind: 'claimed'; id: string } | { kind: 'replay'; response: Response };

async function claim(organizationId: string, caller: string, key: string, requestHash: string): Promise<Claim> {
  const now = new Date();
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const row = await db.idempotencyKey.create({
        data: { organizationId, caller, key, requestHash, expiresAt: new Date(now.getTime() + IDEMPOTENCY_TTL_MS) },
        select: { id: true },
      });
      return { kind: 'claimed', id: row.id };
    } catch (error) {
      if (!(error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002')) throw error;
    }
    const existing = await db.idempotencyKey.findUnique({ where: { organizationId_caller_key: { organizationId, caller, key } } });
    if (!existing) continue; // released meanwhile: claim again
    const expired = existing.expiresAt <= now;
    const abandoned = existing.responseStatus === null && now.getTime() - existing.createdAt.getTime() > STALE_CLAIM_MS;
    if (expired || abandoned) {
      // Compare-and-delete on the row seen, so two retries cannot both take it over.
      await db.idempotencyKey.deleteMany({ where: { id: existing.id, createdAt: existing.createdAt } });
      continue;
    }
    if (existing.requestHash !== requestHash) throw new AppError('idempotency_key_reused', undefined, { field: 'Idempotency-Key' });
    if (existing.responseStatus === null) {
      throw new AppError('in_progress', 'A request with this Idempotency-Key is still running. Try again in a moment.', { retryAfter: 2 });
    }
    return { kind: 'replay', response: replay(existing.responseStatus, existing.responseBody) };
  }
  throw new AppError('in_progress', 'A request with this Idempotency-Key is still running. Try again in a moment.', { retryAfter: 2 });
}

/**
 * Wraps an org-route handler: without the header it runs as before; with it, at most once per key
 * (see the file comment). The body is read from a clone, so the handler still reads its own.
 */
export function idempotent<Q, P>(
  handler: (ctx: OrgRouteContext<Q, P>) => Promise<Response>,
): (ctx: OrgRouteContext<Q, P>) => Promise<Response> {
  return async (ctx) => {
    const key = ctx.request.headers.get('idempotency-key');
    if (key === null) return handler(ctx);
    if (!KEY_PATTERN.test(key)) {
      throw new AppError('validation_failed', 'Idempotency-Key must be 1 to 255 visible ASCII characters, such as a UUID.', {
        field: 'Idempotency-Key',
      });
    }
    // An unreadable or oversized body is the handler's own 4xx; nothing to remember.
    const body = await readBodyText(ctx.request.clone(), 256_000);
    if (!body.ok) return handler(ctx);
    const url = new URL(ctx.request.url);
    const { organizationId } = ctx.actor;
    const caller = callerOf(ctx.actor);
    const claimed = await claim(organizationId, caller, key, hashOf(ctx.request.method, url.pathname, body.value));
    if (claimed.kind === 'replay') return claimed.response;

    let response: Response;
    try {
      response = await handler(ctx);
    } catch (error) {
      // orgRoute answers a thrown AppError; store that answer like any other final one.
      response = problemJson(error, { context: { route: url.pathname } });
    }
    const status = response.status;
    const text = await response.clone().text();
    if (final(status)) {
      await db.idempotencyKey.update({
        where: { id: claimed.id },
        data: {
          responseStatus: status,
          responseBody: text ? (JSON.parse(text) as Prisma.InputJsonValue) : Prisma.JsonNull,
          completedAt: new Date(),
        },
      });
    } else {
      await db.idempotencyKey.deleteMany({ where: { id: claimed.id } });
    }
    return response;
  };
}

/** Expired keys, removed a batch at a time (the claim ignores them anyway; this keeps the table small). */
export async function purgeExpiredIdempotencyKeys(now = new Date(), batch = 1000): Promise<number> {
  return db.$executeRaw`
    DELETE FROM "IdempotencyKey" WHERE "id" IN (
      SELECT "id" FROM "IdempotencyKey" WHERE "expiresAt" <= ${now} LIMIT ${batch}
    )`;
}
