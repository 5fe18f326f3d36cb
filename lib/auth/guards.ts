/**
 * The data-access layer's gate: who is asking, checked against the database on every request.
 *
 * middleware.ts only proves the cookie was signed by us and has not expired. That is not
 * enough to read or change data (a logged-out or removed member still holds a valid cookie until
 * it expires), so every server component, server action and route handler that touches data
 * goes through here: the Session row must be live, the access token is refreshed when due, and
 * the user must still hold an ACTIVE membership in the session's organization.
 */

import { cache } from 'react';
import { cookies, headers } from 'next/headers';
import { notFound, redirect } from 'next/navigation';
import type { Actor, RequestMeta } from '@/lib/auth/actor';
import { ForbiddenError, UnauthenticatedError } from '@/lib/errors/app-error';
import { adminPageAccess } from '@/lib/auth/dead-ends';
import { can, grantedPermissions, type GrantedPermission, type Permission } from '@/lib/auth/permissions';
import { LOGIN_PATH } from '@/lib/auth/protected-routes';
import { safeReturnTo } from '@/lib/auth/return-to';
import { db } from '@/lib/db';
import { clientIpOrNull } from '@/lib/http/client-ip';
import { errorForLog, log } from '@/lib/log';
import { appSessionCookieName, getSessionCookieVerifier, readCookie } from '@/lib/session/cookie';
import { ensureFreshSession, OUTAGE_GRACE_MS } from '@/lib/session/refresh';
import { getActiveSession } from '@/lib/session/store';

export interface SessionContext {
  session: {
    id: string;
    userId: string;
    organizationId: string;
    authMethod: string | null;
    createdAt: Date;
    expiresAt: Date;
  };
  user: { id: string; email: string; name: string | null };
  organization: { id: string; name: string };
  membership: { id: string; role: string; permissions: readonly GrantedPermission[]; status: 'ACTIVE' };
  /** Every organization the user is an ACTIVE member of (the org switcher's list), with what their role grants there. */
  memberships: Array<{
    organizationId: string;
    organizationName: string;
    /** SHA-256 of the organization's logo (lib/organizations/logo.ts), null when it has none */
    organizationLogoSha256: string | null;
    role: string;
    permissions: readonly GrantedPermission[];
  }>;
  /**
   * Organizations that have invited the user since they signed in (signing in accepts every
   * waiting invitation, so these arrived later): the switcher offers "Join", through Scalekit.
   */
  invitations: Array<{ organizationId: string; organizationName: string }>;
}

/** A membership row (with its organization's name) as the session context holds it. */
export function sessionMembership(m: {
  organizationId: string;
  role: string;
  permissions: string[];
  organization: { name: string; logoSha256: string | null };
}): SessionContext['memberships'][number] {
  return {
    organizationId: m.organizationId,
    organizationName: m.organization.name,
    organizationLogoSha256: m.organization.logoSha256,
    role: m.role,
    permissions: grantedPermissions(m.permissions),
  };
}

/**
 * The whole check for one cookie value. Null for anything short of a live session with an
 * ACTIVE membership in its organization; never throws for bad input.
 */
export async function loadSessionContext(token: string | undefined | null, now: () => number = Date.now): Promise<SessionContext | null> {
  if (!token) return null;
  try {
    const check = await (await getSessionCookieVerifier()).verify(token);
    if (!check.ok) return null;
    const { sid, uid } = check.claims;

    // The user and memberships are fetched alongside the row (by the cookie's uid) rather than
    // after it: one database round trip per request instead of two. They are only used once the
    // row has been found live and owned by that same user.
    const [found, user, memberships] = await Promise.all([
      getActiveSession(sid, new Date(now())),
      db.user.findUnique({ where: { id: uid }, select: { id: true, email: true, name: true } }),
      // Waiting invitations ride on the same query: the header lists them on every page.
      db.membership.findMany({
        where: {
          userId: uid,
          OR: [
            { status: 'ACTIVE' },
            { status: 'PENDING_INVITE', syncState: 'SYNCED', OR: [{ expiresAt: null }, { expiresAt: { gt: new Date(now()) } }] },
          ],
        },
        select: {
          id: true,
          organizationId: true,
          role: true,
          permissions: true,
          status: true,
          organization: { select: { name: true, logoSha256: true } },
        },
        orderBy: [{ organization: { name: 'asc' } }, { organizationId: 'asc' }],
      }),
    ]);
    // The cookie must name this user's row: a row id lifted into a cookie for someone else fails.
    if (!found || found.userId !== uid) return null;

    const refreshed = await ensureFreshSession(found, { now });
    if (refreshed.status === 'ended') return null;
    if (refreshed.status === 'unavailable' && refreshed.session.accessTokenExpiresAt.getTime() + OUTAGE_GRACE_MS < now()) {
      return null;
    }
    const session = refreshed.session;

    // The row, not the cookie, holds the active organization: switching orgs updates the row, and
    // a stale cookie in another tab must not resurrect the old one.
    if (!user) return null;
    const invited = memberships.filter((m) => m.status === 'PENDING_INVITE');
    const activeMemberships = memberships.filter((m) => m.status === 'ACTIVE');
    const active = activeMemberships.find((m) => m.organizationId === session.organizationId);
    // Any role Scalekit gives counts as membership; what it may do is in its permissions.
    if (!active) return null;

    return {
      session: {
        id: session.id,
        userId: session.userId,
        organizationId: session.organizationId,
        authMethod: session.authMethod,
        createdAt: session.createdAt,
        expiresAt: session.expiresAt,
      },
      user,
      organization: { id: active.organizationId, name: active.organization.name },
      membership: { id: active.id, role: active.role, permissions: grantedPermissions(active.permissions), status: 'ACTIVE' },
      memberships: activeMemberships.map(sessionMembership),
      invitations: invited.map((m) => ({ organizationId: m.organizationId, organizationName: m.organization.name })),
    };
  } catch (error) {
    // A database or Scalekit failure must not be mistaken for "signed out" silently, nor crash the page.
    log.error({ err: errorForLog(error) }, 'session check failed');
    throw error;
  }
}

/** The signed-in user of the current request (pages, server actions, route handlers), memoised per request. */
export const getSessionContext: () => Promise<SessionContext | null> = cache(async () => {
  const store = await cookies();
  return loadSessionContext(store.get(appSessionCookieName())?.value);
});

const byRequest = new WeakMap<Request, Promise<SessionContext | null>>();

/** For route handlers and tests: reads the cookie from the Request itself, no next/headers. */
export function getSessionContextFromRequest(request: Request): Promise<SessionContext | null> {
  let pending = byRequest.get(request);
  if (!pending) {
    pending = loadSessionContext(readCookie(request.headers.get('cookie'), appSessionCookieName()));
    byRequest.set(request, pending);
  }
  return pending;
}

/** Pages: the session, or a redirect to sign in that comes back to `returnTo`. */
export async function requireSession(returnTo?: string): Promise<SessionContext> {
  const ctx = await getSessionContext();
  if (!ctx) redirect(loginRedirectPath(returnTo));
  return ctx;
}

export function loginRedirectPath(returnTo?: string): string {
  return `${LOGIN_PATH}?returnTo=${encodeURIComponent(safeReturnTo(returnTo))}`;
}

/**
 * The signed-in user's ACTIVE membership in `orgId` (role and what it grants), from the memberships
 * loaded from the database for this request; null when they are not an ACTIVE member. Never trust
 * an org id from the client without this.
 */
export function membershipIn(ctx: SessionContext, orgId: string): SessionContext['memberships'][number] | null {
  return ctx.memberships.find((m) => m.organizationId === orgId) ?? null;
}

/** Whether the signed-in user may do `permission` in `orgId`: what pages use to decide what to show. */
export function canIn(ctx: SessionContext, orgId: string, permission: Permission): boolean {
  return can(membershipIn(ctx, orgId)?.permissions, permission);
}

async function contextFor(request: Request | undefined, returnTo: string | undefined): Promise<SessionContext> {
  if (request) {
    const ctx = await getSessionContextFromRequest(request);
    if (!ctx) throw new UnauthenticatedError();
    return ctx;
  }
  return requireSession(returnTo);
}

/**
 * The user must hold `permission` in `orgId` through an ACTIVE membership. Without a session: pages
 * are redirected to sign in; with `request` (route handlers) an UnauthenticatedError is thrown.
 * Lacking it (or not a member at all, e.g. an edited org id): ForbiddenError.
 */
export async function requirePermission(orgId: string, permission: Permission, request?: Request): Promise<SessionContext> {
  const ctx = await contextFor(request, `/orgs/${encodeURIComponent(orgId)}/team`);
  if (!canIn(ctx, orgId, permission)) throw new ForbiddenError();
  return ctx;
}

/** What an admin-only page renders instead of itself for a member of the organization. */
export interface AdminsOnly {
  organization: { id: string; name: string };
  admins: Array<{ name: string | null; email: string }>;
}

/**
 * Pages for one permission (settings, API keys, the audit log, bulk invite). A member of the
 * organization without it gets `{ adminsOnly }` to render (what the page is for, and whom to ask:
 * lib/auth/dead-ends.ts); anyone else (an admin of another org, an edited id) gets the same 404 as
 * an unknown organization, so the page does not reveal that the organization exists.
 */
export async function requirePermissionPage(
  orgId: string,
  permission: Permission,
): Promise<{ ctx: SessionContext; actor: Actor; adminsOnly?: undefined } | { adminsOnly: AdminsOnly }> {
  const ctx = await requireSession(`/orgs/${encodeURIComponent(orgId)}/team`);
  const access = await adminPageAccess(ctx, orgId, permission);
  if (access.kind === 'outsider') notFound();
  if (access.kind === 'member') return { adminsOnly: { organization: access.organization, admins: access.admins } };
  return { ctx, actor: actorFromContext(ctx, orgId) };
}

/** The user must be an ACTIVE member (any role) of `orgId`: read access. */
export async function requireOrgMember(orgId: string, request?: Request): Promise<SessionContext> {
  const ctx = await contextFor(request, `/orgs/${encodeURIComponent(orgId)}/team`);
  if (!membershipIn(ctx, orgId)) throw new ForbiddenError();
  return ctx;
}

/** The Actor services take (lib/auth/actor.ts), with the user's role and permissions in `orgId`; `from` supplies the audit log's client address and agent. */
export function actorFromContext(ctx: SessionContext, orgId: string, from?: Request | Headers): Actor {
  const membership = membershipIn(ctx, orgId);
  if (!membership) throw new ForbiddenError();
  return {
    kind: 'user',
    userId: ctx.user.id,
    email: ctx.user.email,
    name: ctx.user.name,
    organizationId: orgId,
    role: membership.role,
    permissions: membership.permissions,
    sessionId: ctx.session.id,
    ...(from ? { request: requestMeta(from) } : {}),
  };
}

/**
 * Server actions: the caller must hold `permission` in `orgId` (null: be an ACTIVE member of it,
 * any role) — an org id in a form is only a claim — checked against the database; the Actor
 * carries the action's own request headers.
 */
export async function actorForServerAction(orgId: string, permission: Permission | null): Promise<Actor> {
  const ctx = await getSessionContext();
  if (!ctx) throw new UnauthenticatedError('Your session has ended. Sign in again to continue.');
  const member = membershipIn(ctx, orgId);
  if (!member) throw new ForbiddenError('You are not a member of that organization.');
  if (permission && !canIn(ctx, orgId, permission)) {
    throw new ForbiddenError('Your role in this organization does not allow that. Ask an admin.');
  }
  return actorFromContext(ctx, orgId, await headers());
}

/** Client address (hop-aware, lib/http/client-ip.ts) and agent for the audit log. */
export function requestMeta(from: Request | Headers): RequestMeta {
  const h = from instanceof Headers ? from : from.headers;
  return {
    ip: clientIpOrNull(h),
    userAgent: h.get('user-agent')?.slice(0, 512) ?? null,
    requestId: h.get('x-request-id'),
  };
}
