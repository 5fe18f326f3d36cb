import { createHash, randomBytes } from 'node:crypto';
import type { Actor, RequestMeta } from '@/lib/auth/actor';
import { assertCan, ForbiddenError } from '@/lib/auth/authorize';
import { recordAudit } from '@/lib/audit/record';
import { db } from '@/lib/db';
import type { ApiKey } from '@/lib/generated/prisma/client';
import { z } from 'zod';

/**
 * Organization-scoped API keys for machines (CRM/HR integrations).
 *
 * A key is `tg_live_` + 32 random base62 characters (~190 bits). Only its
 * SHA-256 is stored, with the first characters as a visible prefix to tell
 * keys apart; the full key is returned once, at creation. A plain hash (no
 * salt, no slow KDF) is enough for a random secret of that size, and makes
 * the lookup a single indexed equality query.
 */

export const API_KEY_PREFIX = 'tg_live_';
const SECRET_LENGTH = 32;
const VISIBLE_PREFIX_LENGTH = API_KEY_PREFIX.length + 6;
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const KEY_SHAPE = new RegExp(`^${API_KEY_PREFIX}[0-9A-Za-z]{${SECRET_LENGTH}}$`);
/** Writing lastUsedAt on every call would make each API request a write; once a minute is plenty. */
const LAST_USED_RESOLUTION_MS = 60_000;
export const MAX_ACTIVE_KEYS_PER_ORG = 25;

export class ApiKeyError extends Error {
  override readonly name = 'ApiKeyError';
  constructor(readonly code: 'validation_failed' | 'api_key_not_found' | 'too_many_keys', message: string, readonly status: number, readonly field?: string) {
    super(message);
  }
}

/** What the UI and API may show about a key: never the hash. */
export type ApiKeySummary = Pick<ApiKey, 'id' | 'name' | 'prefix' | 'createdAt' | 'lastUsedAt' | 'revokedAt' | 'createdByUserId'>;

const summarySelect = { id: true, name: true, prefix: true, createdAt: true, lastUsedAt: true, revokedAt: true, createdByUserId: true } as const;

export const apiKeyNameSchema = z
  .string({ error: 'Give the key a name.' })
  .trim()
  .min(1, 'Give the key a name, e.g. "HR sync".')
  .max(60, 'A key name has at most 60 characters.')
  .refine((v) => !/[\u0000-\u001f\u007f]/.test(v), 'The name contains characters that are not allowed.');

function randomBase62(length: number): string {
  // Rejection sampling keeps every character equally likely (256 is not a multiple of 62).
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && out.length < length) out += BASE62[byte % 62];
    }
  }
  return out;
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Keys are managed by people: a leaked key must not be able to mint or hide other keys. */
function assertManager(actor: Actor, organizationId: string): void {
  assertCan(actor, organizationId, 'api_keys:manage');
  if (actor.kind !== 'user') throw new ForbiddenError('API keys are managed by admins in the Teamgate app, not through an API key.');
}

export async function createApiKey(actor: Actor, organizationId: string, rawName: unknown): Promise<{ apiKey: ApiKeySummary; secret: string }> {
  assertManager(actor, organizationId);
  const parsed = apiKeyNameSchema.safeParse(rawName);
  if (!parsed.success) throw new ApiKeyError('validation_failed', parsed.error.issues[0]!.message, 400, 'name');
  const active = await db.apiKey.count({ where: { organizationId, revokedAt: null } });
  if (active >= MAX_ACTIVE_KEYS_PER_ORG) {
    throw new ApiKeyError('too_many_keys', `An organization can have ${MAX_ACTIVE_KEYS_PER_ORG} active keys. Revoke one you no longer use first.`, 409);
  }
  const secret = `${API_KEY_PREFIX}${randomBase62(SECRET_LENGTH)}`;
  const apiKey = await db.$transaction(async (tx) => {
    const created = await tx.apiKey.create({
      data: {
        organizationId,
        name: parsed.data,
        prefix: secret.slice(0, VISIBLE_PREFIX_LENGTH),
        hash: hashApiKey(secret),
        createdByUserId: actor.kind === 'user' ? actor.userId : null,
      },
      select: summarySelect,
    });
    await recordAudit({ actor, organizationId, action: 'api_key.created', target: { type: 'api_key', id: created.id, label: created.name }, metadata: { prefix: created.prefix } }, tx);
    return created;
  });
  return { apiKey, secret };
}

export async function listApiKeys(actor: Actor, organizationId: string): Promise<ApiKeySummary[]> {
  assertManager(actor, organizationId);
  return db.apiKey.findMany({ where: { organizationId }, select: summarySelect, orderBy: [{ revokedAt: { sort: 'desc', nulls: 'first' } }, { createdAt: 'desc' }] });
}

/** Revoking is immediate: the next request with the key is refused. Revoking twice is a no-op. */
export async function revokeApiKey(actor: Actor, organizationId: string, apiKeyId: string): Promise<ApiKeySummary> {
  assertManager(actor, organizationId);
  const key = typeof apiKeyId === 'string' && apiKeyId.length <= 64 ? await db.apiKey.findFirst({ where: { id: apiKeyId, organizationId }, select: summarySelect }) : null;
  if (!key) throw new ApiKeyError('api_key_not_found', 'That API key does not exist in this organization.', 404);
  if (key.revokedAt) return key;
  return db.$transaction(async (tx) => {
    const revoked = await tx.apiKey.update({ where: { id: key.id }, data: { revokedAt: new Date() }, select: summarySelect });
    await recordAudit({ actor, organizationId, action: 'api_key.revoked', target: { type: 'api_key', id: key.id, label: key.name }, metadata: { prefix: key.prefix } }, tx);
    return revoked;
  });
}

export type BearerResult =
  | { kind: 'none' }
  | { kind: 'invalid'; message: string }
  | { kind: 'ok'; actor: Extract<Actor, { kind: 'api_key' }> };

/**
 * Resolve `Authorization: Bearer tg_live_…` to an Actor acting as admin of the key's own
 * organization. 'none' when the header is absent (the caller may try the session instead).
 */
export async function authenticateApiKey(authorization: string | null | undefined, request?: RequestMeta): Promise<BearerResult> {
  if (!authorization) return { kind: 'none' };
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!match) return { kind: 'invalid', message: 'Send the API key as "Authorization: Bearer tg_live_…".' };
  const key = match[1]!;
  const refusal = { kind: 'invalid', message: 'The API key is not valid or has been revoked.' } as const;
  if (!KEY_SHAPE.test(key)) return refusal;
  const row = await db.apiKey.findUnique({ where: { hash: hashApiKey(key) }, select: { id: true, name: true, organizationId: true, revokedAt: true, lastUsedAt: true } });
  if (!row || row.revokedAt) return refusal;
  const now = Date.now();
  if (!row.lastUsedAt || now - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await db.apiKey.updateMany({ where: { id: row.id, revokedAt: null }, data: { lastUsedAt: new Date(now) } });
  }
  return {
    kind: 'ok',
    actor: { kind: 'api_key', apiKeyId: row.id, label: row.name, organizationId: row.organizationId, role: 'admin', ...(request ? { request } : {}) },
  };
}
