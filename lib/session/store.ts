/**
 * Server-side sessions: one PostgreSQL row per signed-in browser.
 *
 * The cookie only names the row (lib/session/cookie.ts); the row is what makes a session real.
 * Revoking it (logout, "sign out everywhere", a member removed by an admin) takes effect on the
 * very next request, because every data access re-reads it (lib/auth/guards.ts).
 *
 * Tokens are encrypted at rest (lib/session/crypto.ts) with the row id and column bound in as
 * associated data, so a ciphertext copied into another row or column does not decrypt. Nothing
 * this module returns to callers outside lib/session carries a token.
 */

import { randomBytes } from 'node:crypto';
import { db } from '@/lib/db';
import { decryptStoredToken, encryptStoredToken } from '@/lib/session/crypto';

export type SessionRevokeReason =
  | 'logout'
  | 'logout_all'
  | 'member_removed'
  | 'member_left'
  | 'account_deleted'
  | 'refresh_refused'
  | 'signed_in_as_other'
  | 'admin'
  | 'scalekit_logout'
  | 'organization_deleted'
  | (string & {});

export interface CreateSessionInput {
  userId: string;
  organizationId: string;
  /** Scalekit's session id (the tokens' `sid`). */
  scalekitSessionId?: string | null;
  refreshToken: string;
  /** Kept only as `id_token_hint` for Scalekit's logout. */
  idToken?: string | null;
  accessTokenExpiresAt: Date;
  /** Absolute end of the session, whatever refreshes happen. */
  expiresAt: Date;
  /** How the user proved who they are (from the ID token's amr). */
  authMethod?: string | null;
  ip?: string | null;
  userAgent?: string | null;
}

/** What callers may know about a session: no tokens, no ciphertext. */
export interface SessionRecord {
  id: string;
  userId: string;
  organizationId: string;
  scalekitSessionId: string | null;
  authMethod: string | null;
  accessTokenExpiresAt: Date;
  expiresAt: Date;
  version: number;
  lastRefreshedAt: Date | null;
  ip: string | null;
  userAgent: string | null;
  createdAt: Date;
  revokedAt: Date | null;
  revokedReason: string | null;
}

/** A session as listed on the account page. */
export interface SessionSummary {
  id: string;
  organizationId: string;
  organizationName: string | null;
  authMethod: string | null;
  ip: string | null;
  userAgent: string | null;
  createdAt: Date;
  lastActiveAt: Date;
  expiresAt: Date;
}

const MAX_USER_AGENT = 512;
const MAX_IP = 64;

/** Associated data for a token column of one row. */
export function tokenContext(sessionId: string, column: 'refresh_token' | 'id_token'): string {
  return `session:${sessionId}:${column}`;
}

/**
 * 128 random bits. Not a secret (the cookie that carries it is signed), but unguessable ids keep
 * one user's row id from telling anything about another's. `tgs_` marks it as ours, unlike
 * Scalekit's `ses_`.
 */
export function newSessionId(): string {
  return `tgs_${randomBytes(16).toString('base64url')}`;
}

const RECORD_SELECT = {
  id: true,
  userId: true,
  organizationId: true,
  scalekitSessionId: true,
  authMethod: true,
  accessTokenExpiresAt: true,
  expiresAt: true,
  version: true,
  lastRefreshedAt: true,
  ip: true,
  userAgent: true,
  createdAt: true,
  revokedAt: true,
  revokedReason: true,
} as const;

export async function createSession(input: CreateSessionInput): Promise<SessionRecord> {
  if (!input.refreshToken) throw new TypeError('A session needs a refresh token (was offline_access requested?)');
  if (!(input.expiresAt.getTime() > Date.now())) throw new RangeError('expiresAt must be in the future');
  const id = newSessionId();
  const [refreshTokenEnc, idTokenEnc] = await Promise.all([
    encryptStoredToken(input.refreshToken, tokenContext(id, 'refresh_token')),
    input.idToken ? encryptStoredToken(input.idToken, tokenContext(id, 'id_token')) : Promise.resolve(null),
  ]);
  return db.session.create({
    data: {
      id,
      userId: input.userId,
      organizationId: input.organizationId,
      scalekitSessionId: input.scalekitSessionId ?? null,
      refreshTokenEnc,
      idTokenEnc,
      accessTokenExpiresAt: input.accessTokenExpiresAt,
      expiresAt: input.expiresAt,
      authMethod: input.authMethod ?? null,
      ip: input.ip?.slice(0, MAX_IP) ?? null,
      userAgent: input.userAgent?.slice(0, MAX_USER_AGENT) ?? null,
    },
    select: RECORD_SELECT,
  });
}

/** The row when it is live: not revoked and not past its absolute expiry. */
export async function getActiveSession(id: string, now: Date = new Date()): Promise<SessionRecord | null> {
  if (!id) return null;
  const row = await db.session.findUnique({ where: { id }, select: RECORD_SELECT });
  if (!row || row.revokedAt || row.expiresAt <= now) return null;
  return row;
}

/** Ends one session. True when it was live until now. */
export async function revokeSession(id: string, reason: SessionRevokeReason): Promise<boolean> {
  const { count } = await db.session.updateMany({
    where: { id, revokedAt: null },
    data: { revokedAt: new Date(), revokedReason: reason },
  });
  return count === 1;
}

export interface RevokeUserSessionsOptions {
  /** Only the sessions whose active organization is this one (a member removed from it). */
  organizationId?: string;
  reason: SessionRevokeReason;
  /** Keep this one (e.g. "sign out my other devices"). */
  exceptSessionId?: string;
}

/**
 * Ends a user's live sessions, at once: the next request from any of their browsers finds the
 * row revoked. Returns how many were live.
 */
export async function revokeUserSessions(userId: string, options: RevokeUserSessionsOptions): Promise<number> {
  const { count } = await db.session.updateMany({
    where: {
      userId,
      revokedAt: null,
      ...(options.organizationId ? { organizationId: options.organizationId } : {}),
      ...(options.exceptSessionId ? { id: { not: options.exceptSessionId } } : {}),
    },
    data: { revokedAt: new Date(), revokedReason: options.reason },
  });
  return count;
}

/** Ends every live session whose active organization is this one (the organization was deleted). */
export async function revokeOrganizationSessions(organizationId: string, reason: SessionRevokeReason): Promise<number> {
  const { count } = await db.session.updateMany({
    where: { organizationId, revokedAt: null },
    data: { revokedAt: new Date(), revokedReason: reason },
  });
  return count;
}

/** The user's live sessions, most recently active first. */
export async function listUserSessions(userId: string, now: Date = new Date()): Promise<SessionSummary[]> {
  const rows = await db.session.findMany({
    where: { userId, revokedAt: null, expiresAt: { gt: now } },
    select: { ...RECORD_SELECT, updatedAt: true },
    orderBy: [{ updatedAt: 'desc' }, { id: 'asc' }],
    take: 100,
  });
  const orgIds = [...new Set(rows.map((row) => row.organizationId))];
  const orgs = orgIds.length ? await db.organization.findMany({ where: { id: { in: orgIds } }, select: { id: true, name: true } }) : [];
  const names = new Map(orgs.map((org) => [org.id, org.name]));
  return rows.map((row) => ({
    id: row.id,
    organizationId: row.organizationId,
    organizationName: names.get(row.organizationId) ?? null,
    authMethod: row.authMethod,
    ip: row.ip,
    userAgent: row.userAgent,
    createdAt: row.createdAt,
    lastActiveAt: row.lastRefreshedAt ?? row.createdAt,
    expiresAt: row.expiresAt,
  }));
}

/**
 * Makes `organizationId` the session's active organization. The caller has checked the ACTIVE
 * membership; this only refuses a revoked or expired row. Returns the updated record or null.
 */
export async function setSessionOrganization(id: string, organizationId: string, now: Date = new Date()): Promise<SessionRecord | null> {
  const { count } = await db.session.updateMany({
    where: { id, revokedAt: null, expiresAt: { gt: now } },
    data: { organizationId },
  });
  if (count !== 1) return null;
  return db.session.findUnique({ where: { id }, select: RECORD_SELECT });
}

/** The stored refresh token in clear; server-only, never logged or returned to a client. */
export async function readRefreshToken(sessionId: string): Promise<{ refreshToken: string; version: number } | null> {
  const row = await db.session.findUnique({ where: { id: sessionId }, select: { refreshTokenEnc: true, version: true } });
  if (!row) return null;
  return { refreshToken: await decryptStoredToken(row.refreshTokenEnc, tokenContext(sessionId, 'refresh_token')), version: row.version };
}

/** The ID token kept for Scalekit's logout (`id_token_hint`), or null. */
export async function readIdTokenHint(sessionId: string): Promise<string | null> {
  const row = await db.session.findUnique({ where: { id: sessionId }, select: { idTokenEnc: true } });
  if (!row?.idTokenEnc) return null;
  try {
    return await decryptStoredToken(row.idTokenEnc, tokenContext(sessionId, 'id_token'));
  } catch {
    // Only a hint for logout: a row that no longer decrypts (rotated secret) logs out without it.
    return null;
  }
}

export interface StoreRefreshedTokensInput {
  sessionId: string;
  /** The version read before refreshing: the write is refused if someone else refreshed since. */
  expectedVersion: number;
  refreshToken: string;
  accessTokenExpiresAt: Date;
  organizationId?: string;
}

/** Saves a rotated refresh token, bumps the version and releases the lease. */
export async function storeRefreshedTokens(input: StoreRefreshedTokensInput): Promise<boolean> {
  const refreshTokenEnc = await encryptStoredToken(input.refreshToken, tokenContext(input.sessionId, 'refresh_token'));
  const { count } = await db.session.updateMany({
    where: { id: input.sessionId, version: input.expectedVersion, revokedAt: null },
    data: {
      refreshTokenEnc,
      accessTokenExpiresAt: input.accessTokenExpiresAt,
      version: { increment: 1 },
      refreshLeaseUntil: null,
      lastRefreshedAt: new Date(),
      ...(input.organizationId ? { organizationId: input.organizationId } : {}),
    },
  });
  return count === 1;
}
