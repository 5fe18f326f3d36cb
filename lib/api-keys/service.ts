import { createHash, randomBytes } from 'node:crypto';
import type { Actor, RequestMeta } from '@/lib/auth/actor';
import { assertCan } from '@/lib/auth/authorize';
import { AppError, ForbiddenError } from '@/lib/errors/app-error';
import { API_KEY_SCOPES, DEFAULT_API_KEY_SCOPES, isApiKeyScope, type ApiKeyScope } from '@/lib/auth/permissions';
import { recordAudit, recordAudits } from '@/lib/audit/record';
import { db } from '@/lib/db';
import type { ApiKey, Prisma } from '@/lib/generated/prisma/client';
import { z } from 'zod';

/**
 * Organization-scoped API keys for machines (CRM/HR integrations).
 *
 * A key is `tg_live_` + 32 random base62 characters (~190 bits). Only its
 * SHA-256 is stored, with the first characters as a visible prefix to tell
 * keys apart; the full key is returned once, at creation. A plain hash (no
 * salt, no slow KDF) is enough for a random secret of that size, and makes
 * the lookup a single indexed equality query.
 *
 * A key is not an admin. It acts by the scopes chosen at creation
 * (lib/auth/permissions.ts), may expire, and works only while the admin who
 * created it is still an ACTIVE admin of the organization: offboarding revokes
 * a person's keys with their rights (revokeKeysCreatedBy), and the check at
 * authentication also covers removals that reach us from Scalekit (webhooks,
 * resync) rather than through removeMember.
 */

export const API_KEY_PREFIX = 'tg_live_';
const SECRET_LENGTH = 32;
const VISIBLE_PREFIX_LENGTH = API_KEY_PREFIX.length + 6;
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const KEY_SHAPE = new RegExp(`^${API_KEY_PREFIX}[0-9A-Za-z]{${SECRET_LENGTH}}$`);
/** Writing lastUsedAt on every call would make each API request a write; once a minute is plenty. */
const LAST_USED_RESOLUTION_MS = 60_000;
export const MAX_ACTIVE_KEYS_PER_ORG = 25;
const DAY_MS = 86_400_000;
export const MAX_EXPIRY_DAYS = 5 * 365;
// Generous: parallel creates queue on the organization's lock, each holding a pooled connection.
const CREATE_TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 15_000 } as const;

/** What the UI and API may show about a key: never the hash. */
export type ApiKeySummary = Pick<
  ApiKey,
  'id' | 'name' | 'prefix' | 'createdAt' | 'lastUsedAt' | 'revokedAt' | 'expiresAt' | 'createdByUserId'
> & { scopes: ApiKeyScope[] };

const summarySelect = {
  id: true,
  name: true,
  prefix: true,
  scopes: true,
  createdAt: true,
  lastUsedAt: true,
  revokedAt: true,
  expiresAt: true,
  createdByUserId: true,
} as const;

/** Known scopes in their canonical order: a scope this version does not know grants nothing. */
function knownScopes(stored: readonly string[]): ApiKeyScope[] {
  return API_KEY_SCOPES.filter((s) => stored.includes(s));
}

function toSummary(row: Omit<ApiKeySummary, 'scopes'> & { scopes: string[] }): ApiKeySummary {
  return { ...row, scopes: knownScopes(row.scopes) };
}

/** A key that can still be used: not revoked, not expired. What the per-organization cap counts. */
function usableWhere(organizationId: string, now: Date): Prisma.ApiKeyWhereInput {
  return { organizationId, revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] };
}

export const apiKeyNameSchema = z
  .string({ error: 'Give the key a name.' })
  .trim()
  .min(1, 'Give the key a name, e.g. "HR sync".')
  .max(60, 'A key name has at most 60 characters.')
  .refine((v) => !/[\u0000-\u001f\u007f]/.test(v), 'The name contains characters that are not allowed.');

export const apiKeyScopesSchema = z
  .array(
    z.string({ error: 'Scopes are names such as "invitations:write".' }).refine(isApiKeyScope, {
      error: (issue) => `Unknown scope "${String(issue.input).slice(0, 40)}". A key's scopes are ${API_KEY_SCOPES.join(', ')}.`,
    }),
    { error: `Choose the key's scopes as a list, from ${API_KEY_SCOPES.join(', ')}.` },
  )
  .min(1, 'Choose at least one scope: a key without scopes could do nothing.')
  .transform((scopes) => knownScopes(scopes));

/** Optional: a Date or an ISO 8601 date-time (the keys page sends the end of the chosen day). */
export const apiKeyExpirySchema = z
  .union([z.date(), z.iso.datetime({ offset: true }).transform((v) => new Date(v))], {
    error: 'Give the expiry as a date (ISO 8601), or leave it empty for a key that does not expire.',
  })
  .refine((d) => !Number.isNaN(d.getTime()), 'Give the expiry as a date (ISO 8601), or leave it empty for a key that does not expire.')
  .refine((d) => d.getTime() > Date.now(), 'The expiry must be in the future.')
  .refine((d) => d.getTime() <= Date.now() + MAX_EXPIRY_DAYS * DAY_MS, `A key can expire at most ${MAX_EXPIRY_DAYS / 365} years from now.`);

export interface ApiKeyOptions {
  /** Default: DEFAULT_API_KEY_SCOPES (what the invitations API needs) */
  scopes?: unknown;
  /** Default: never expires */
  expiresAt?: unknown;
}

function parseField<T>(schema: z.ZodType<T>, value: unknown, field: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new AppError('validation_failed', parsed.error.issues[0]!.message, { field });
  return parsed.data;
}

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

export async function createApiKey(
  actor: Actor,
  organizationId: string,
  rawName: unknown,
  options: ApiKeyOptions = {},
): Promise<{ apiKey: ApiKeySummary; secret: string }> {
  assertManager(actor, organizationId);
  const name = parseField(apiKeyNameSchema, rawName, 'name');
  const scopes = options.scopes === undefined ? [...DEFAULT_API_KEY_SCOPES] : parseField(apiKeyScopesSchema, options.scopes, 'scopes');
  const expiresAt =
    options.expiresAt === undefined || options.expiresAt === null || options.expiresAt === ''
      ? null
      : parseField(apiKeyExpirySchema, options.expiresAt, 'expiresAt');
  const secret = `${API_KEY_PREFIX}${randomBase62(SECRET_LENGTH)}`;
  const apiKey = await db.$transaction(async (tx) => {
    // Count and insert under one lock per organization: without it, parallel creates all see
    // room under the cap and all insert. The same lock orders a create after a concurrent
    // offboarding of its creator (revokeKeysCreatedBy), which the check below then sees.
    await lockOrganizationKeys(tx, organizationId);
    if (actor.kind === 'user' && !(await mayManageKeys(tx, organizationId, actor.userId))) throw new ForbiddenError();
    const active = await tx.apiKey.count({ where: usableWhere(organizationId, new Date()) });
    if (active >= MAX_ACTIVE_KEYS_PER_ORG) {
      throw new AppError(
        'too_many_keys',
        `An organization can have ${MAX_ACTIVE_KEYS_PER_ORG} active keys. Revoke one you no longer use first.`,
      );
    }
    const created = await tx.apiKey.create({
      data: {
        organizationId,
        name,
        prefix: secret.slice(0, VISIBLE_PREFIX_LENGTH),
        hash: hashApiKey(secret),
        scopes,
        expiresAt,
        createdByUserId: actor.kind === 'user' ? actor.userId : null,
      },
      select: summarySelect,
    });
    await recordAudit(
      {
        actor,
        organizationId,
        action: 'api_key.created',
        target: { type: 'api_key', id: created.id, label: created.name },
        metadata: { prefix: created.prefix, scopes, expiresAt: expiresAt?.toISOString() ?? null },
      },
      tx,
    );
    return created;
  }, CREATE_TRANSACTION_OPTIONS);
  return { apiKey: toSummary(apiKey), secret };
}

async function lockOrganizationKeys(tx: Prisma.TransactionClient, organizationId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`api_keys:${organizationId}`}))`;
}

/** Whether the user still may manage the organization's keys (ACTIVE, and their role grants api_keys:manage). */
async function mayManageKeys(tx: Prisma.TransactionClient, organizationId: string, userId: string): Promise<boolean> {
  return (await tx.membership.count({ where: { organizationId, userId, status: 'ACTIVE', permissions: { has: 'api_keys:manage' } } })) > 0;
}

export interface RevokedKey {
  id: string;
  prefix: string;
  name: string;
}

/**
 * Offboarding: revoke every live key `userId` created in the organization, inside the caller's
 * transaction (the removal or demotion), so the keys go exactly when the rights do. Each key
 * gets its own api_key.revoked event; the caller names them in its own event too.
 */
export async function revokeKeysCreatedBy(
  tx: Prisma.TransactionClient,
  actor: Actor,
  organizationId: string,
  userId: string,
  reason: 'member_removed' | 'member_demoted' | 'account_deleted',
): Promise<RevokedKey[]> {
  await lockOrganizationKeys(tx, organizationId);
  const keys = await tx.apiKey.findMany({
    where: { organizationId, createdByUserId: userId, revokedAt: null },
    select: { id: true, prefix: true, name: true },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  });
  if (keys.length === 0) return [];
  await tx.apiKey.updateMany({ where: { id: { in: keys.map((k) => k.id) }, revokedAt: null }, data: { revokedAt: new Date() } });
  await recordAudits(
    keys.map((k) => ({
      actor,
      organizationId,
      action: 'api_key.revoked' as const,
      target: { type: 'api_key' as const, id: k.id, label: k.name },
      metadata: { prefix: k.prefix, reason },
    })),
    tx,
  );
  return keys;
}

export type ApiKeyStatus = 'active' | 'revoked' | 'expired';

/** Decided on the server, so a browser's clock cannot disagree with what the API enforces. */
export function apiKeyStatus(key: Pick<ApiKey, 'revokedAt' | 'expiresAt'>, now: Date = new Date()): ApiKeyStatus {
  if (key.revokedAt) return 'revoked';
  return key.expiresAt && key.expiresAt.getTime() <= now.getTime() ? 'expired' : 'active';
}

export async function listApiKeys(
  actor: Actor,
  organizationId: string,
  now: Date = new Date(),
): Promise<Array<ApiKeySummary & { status: ApiKeyStatus }>> {
  assertManager(actor, organizationId);
  const rows = await db.apiKey.findMany({
    where: { organizationId },
    select: summarySelect,
    orderBy: [{ revokedAt: { sort: 'desc', nulls: 'first' } }, { createdAt: 'desc' }],
  });
  return rows.map((row) => ({ ...toSummary(row), status: apiKeyStatus(row, now) }));
}

/** Revoking is immediate: the next request with the key is refused. Revoking twice is a no-op. */
export async function revokeApiKey(actor: Actor, organizationId: string, apiKeyId: string): Promise<ApiKeySummary> {
  assertManager(actor, organizationId);
  const key =
    typeof apiKeyId === 'string' && apiKeyId.length <= 64
      ? await db.apiKey.findFirst({ where: { id: apiKeyId, organizationId }, select: summarySelect })
      : null;
  if (!key) throw new AppError('api_key_not_found', 'That API key does not exist in this organization.');
  if (key.revokedAt) return toSummary(key);
  return db.$transaction(async (tx) => {
    const revoked = await tx.apiKey.update({ where: { id: key.id }, data: { revokedAt: new Date() }, select: summarySelect });
    await recordAudit(
      {
        actor,
        organizationId,
        action: 'api_key.revoked',
        target: { type: 'api_key', id: key.id, label: key.name },
        metadata: { prefix: key.prefix },
      },
      tx,
    );
    return toSummary(revoked);
  });
}

export type BearerResult =
  { kind: 'none' } | { kind: 'invalid'; message: string } | { kind: 'ok'; actor: Extract<Actor, { kind: 'api_key' }> };

interface KeyLookup {
  id: string;
  name: string;
  organizationId: string;
  scopes: string[] | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  creatorIsAdmin: boolean;
}

/**
 * Resolve `Authorization: Bearer tg_live_…` to an Actor of the key's own organization, acting
 * by the key's scopes. 'none' when the header is absent (the caller may try the session instead).
 */
export async function authenticateApiKey(authorization: string | null | undefined, request?: RequestMeta): Promise<BearerResult> {
  if (!authorization) return { kind: 'none' };
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!match) return { kind: 'invalid', message: 'Send the API key as "Authorization: Bearer tg_live_…".' };
  const key = match[1]!;
  const refusal = { kind: 'invalid', message: 'The API key is not valid or has been revoked.' } as const;
  if (!KEY_SHAPE.test(key)) return refusal;
  // One round trip: the key and whether the admin who made it still may manage keys (keys with
  // no creator were made by the system, e.g. a seed, and depend on no one).
  const [row] = await db.$queryRaw<KeyLookup[]>`
    SELECT k."id", k."name", k."organizationId", k."scopes", k."expiresAt", k."revokedAt", k."lastUsedAt",
           (k."createdByUserId" IS NULL OR EXISTS (
             SELECT 1 FROM "Membership" m
             WHERE m."organizationId" = k."organizationId" AND m."userId" = k."createdByUserId"
               AND 'api_keys:manage' = ANY(m."permissions") AND m."status" = 'ACTIVE'
           )) AS "creatorIsAdmin"
    FROM "ApiKey" k WHERE k."hash" = ${hashApiKey(key)}`;
  if (!row || row.revokedAt) return refusal;
  const now = Date.now();
  // Whoever sends the exact secret already holds the key: saying why it stopped working leaks nothing.
  if (row.expiresAt && row.expiresAt.getTime() <= now) {
    return {
      kind: 'invalid',
      message: `This API key expired on ${row.expiresAt.toISOString()}. An admin can create a new key on the API keys page.`,
    };
  }
  if (!row.creatorIsAdmin) {
    return {
      kind: 'invalid',
      message:
        'This API key stopped working: the person who created it is no longer an admin of this organization. An admin can create a new key on the API keys page.',
    };
  }
  if (!row.lastUsedAt || now - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await db.apiKey.updateMany({ where: { id: row.id, revokedAt: null }, data: { lastUsedAt: new Date(now) } });
  }
  return {
    kind: 'ok',
    actor: {
      kind: 'api_key',
      apiKeyId: row.id,
      label: row.name,
      organizationId: row.organizationId,
      scopes: knownScopes(row.scopes ?? []),
      ...(request ? { request } : {}),
    },
  };
}
