/**
 * The OAuth callback's logic, free of Next.js so attacks can be replayed against it in tests.
 *
 * Order matters: nothing is written before the browser has proved it started this flow (state
 * matches the sealed per-flow cookie), Scalekit has accepted the code with this flow's PKCE
 * verifier, and the ID token has been verified by us (the SDK only decodes it): signature
 * against the JWKS, issuer, audience, expiry and this flow's nonce. Only then are the user and
 * membership mirrored and a Session row created.
 */

import type { ScalekitClient } from '@scalekit-sdk/node';
import { decodeJwt } from 'jose';
import { resolveAuthMethod } from '@/lib/auth/auth-method';
import { noLongerMember } from '@/lib/auth/dead-ends';
import { IdTokenError, verifyIdToken, type IdTokenClaims } from '@/lib/auth/id-token';
import { callbackUrl } from '@/lib/auth/login';
import { loginFlowCookieName, openLoginFlow, type LoginFlow } from '@/lib/auth/login-flow';
import { DEFAULT_RETURN_TO, safeReturnTo } from '@/lib/auth/return-to';
import { DEFAULT_ROLE, resolvePermissions, type GrantedPermission } from '@/lib/auth/permissions';
import { mirrorRole } from '@/lib/invitations/scalekit-membership';
import { db } from '@/lib/db';
import type { MembershipStatus, Prisma } from '@/lib/generated/prisma/client';
import { errorForLog, log } from '@/lib/log';
import { createSession, type SessionRecord } from '@/lib/session/store';
import { upsertMirrorUsers } from '@/lib/users/mirror-user';
import { recordAudit } from '@/lib/audit/record';
import { recordSignIn } from '@/lib/members/sign-ins';
import { autoJoinVerifiedDomains } from '@/lib/organizations/verified-domains';

/** Absolute session lifetime: after this the user signs in again, however active. */
export const SESSION_MAX_AGE_SECONDS = 7 * 24 * 60 * 60;

export type CallbackErrorCode =
  | 'access_denied'
  | 'invitation_required'
  | 'invitation_expired'
  | 'invalid_state'
  | 'invalid_request'
  | 'invalid_grant'
  | 'invalid_token'
  | 'no_organization'
  | 'no_longer_member'
  | 'temporarily_unavailable'
  | 'server_error';

export interface CallbackFailure {
  ok: false;
  /** All /login shows: it has a sentence of its own for each (app/login/login-error.ts). */
  code: CallbackErrorCode;
  /** The flow cookie to delete (single use, even when the attempt fails). */
  flowCookieName?: string;
}

export interface CallbackSuccess {
  ok: true;
  session: SessionRecord;
  user: { id: string; email: string; name: string | null };
  redirectTo: string;
  flowCookieName: string;
  intent: LoginFlow['intent'];
}

export type CallbackResult = CallbackSuccess | CallbackFailure;

export interface CallbackInput {
  query: URLSearchParams;
  /** Cookie lookup for the request (the flow cookie). */
  cookie: (name: string) => string | undefined;
  ip?: string | null;
  userAgent?: string | null;
}

export interface CallbackDeps {
  scalekit: Pick<ScalekitClient, 'authenticateWithCode'> & {
    user: Pick<ScalekitClient['user'], 'getUser'>;
    organization: Pick<ScalekitClient['organization'], 'getOrganization'>;
    connection: Pick<ScalekitClient['connection'], 'getConnection'>;
  };
  appUrl: string;
  issuer: string;
  clientId: string;
  flowKey: Uint8Array;
  now?: () => number;
  /** Overrides where the ID token's keys are fetched (tests of a foreign signing key). */
  jwksUrl?: string;
}

// What the identity provider may send back as `error`, and what we call it. Anything else is
// shown generically: the text comes from the URL and could be anyone's.
const PROVIDER_ERRORS: Record<string, CallbackErrorCode> = {
  access_denied: 'access_denied',
  login_required: 'access_denied',
  interaction_required: 'access_denied',
  consent_required: 'access_denied',
  invitation_required: 'invitation_required',
  invitation_expired: 'invitation_expired',
  temporarily_unavailable: 'temporarily_unavailable',
  server_error: 'temporarily_unavailable',
};

export async function completeLogin(input: CallbackInput, deps: CallbackDeps): Promise<CallbackResult> {
  const now = deps.now ?? Date.now;
  const { query } = input;
  const state = query.get('state');
  const flowCookieName = loginFlowCookieName(state) ?? undefined;

  const providerError = query.get('error');
  if (providerError) {
    // The description is kept for whoever reads the logs; the person gets our sentence for the code.
    log.info(
      { providerError: flatten(providerError, 64), description: flatten(query.get('error_description'), 300) },
      'login callback: the identity provider returned an error',
    );
    return { ok: false, code: PROVIDER_ERRORS[providerError] ?? 'access_denied', flowCookieName };
  }

  if (!flowCookieName) return { ok: false, code: 'invalid_state' };
  const opened = await openLoginFlow(input.cookie(flowCookieName), state, deps.flowKey, now());
  if (!opened.ok) {
    log.info({ reason: opened.reason }, 'login callback refused: flow cookie');
    return { ok: false, code: 'invalid_state', flowCookieName };
  }
  const flow = opened.flow;

  const code = query.get('code');
  if (!code || code.length > 2048) return { ok: false, code: 'invalid_request', flowCookieName };

  let tokens: Awaited<ReturnType<ScalekitClient['authenticateWithCode']>>;
  try {
    tokens = await deps.scalekit.authenticateWithCode(code, callbackUrl(deps.appUrl), { codeVerifier: flow.codeVerifier });
  } catch (error) {
    const status = (error as { response?: { status?: number } })?.response?.status;
    if (status === 400 || status === 401) {
      // Replayed or expired code, wrong PKCE verifier, wrong redirect URI: the grant is refused.
      log.info({ status }, 'login callback refused: code exchange');
      return { ok: false, code: 'invalid_grant', flowCookieName };
    }
    log.warn({ err: errorForLog(error) }, 'login callback: code exchange failed');
    return { ok: false, code: 'temporarily_unavailable', flowCookieName };
  }

  let claims: IdTokenClaims;
  try {
    claims = await verifyIdToken(tokens.idToken, {
      issuer: deps.issuer,
      audience: deps.clientId,
      nonce: flow.nonce,
      ...(deps.jwksUrl ? { jwksUrl: deps.jwksUrl } : {}),
      currentDate: new Date(now()),
    });
  } catch (error) {
    const reason = error instanceof IdTokenError ? error.code : 'unknown';
    if (reason === 'nonce_missing') {
      // Not a forgery we can tell apart from a Scalekit change: say exactly what is missing.
      log.error({ reason }, 'login callback refused: the ID token carries no nonce although the authorize request sent one');
    } else {
      log.warn({ reason }, 'login callback refused: ID token');
    }
    return {
      ok: false,
      code: reason === 'jwks_unavailable' ? 'temporarily_unavailable' : 'invalid_token',
      flowCookieName,
    };
  }

  // The access token came straight from the token endpoint (client-authenticated, back channel),
  // so decoding is enough; it must still be about the same person and session.
  let accessClaims: ReturnType<typeof decodeJwt>;
  try {
    accessClaims = decodeJwt(tokens.accessToken);
  } catch {
    return { ok: false, code: 'invalid_token', flowCookieName };
  }
  if (accessClaims.sub !== claims.sub) return { ok: false, code: 'invalid_token', flowCookieName };
  const organizationId = claims.oid ?? (typeof accessClaims.oid === 'string' ? accessClaims.oid : undefined);
  if (!organizationId) {
    // Someone we knew, removed from every organization, is told that rather than "not yet".
    const known = (claims.email ?? tokens.user.email ?? '').toLowerCase();
    const removed = known ? await noLongerMember(known).catch(() => false) : false;
    return { ok: false, code: removed ? 'no_longer_member' : 'no_organization', flowCookieName };
  }
  if (!tokens.refreshToken) {
    log.error('login callback: no refresh token (is offline_access granted to this client?)');
    return { ok: false, code: 'server_error', flowCookieName };
  }
  const email = (claims.email ?? tokens.user.email ?? '').toLowerCase();
  if (!email) return { ok: false, code: 'invalid_token', flowCookieName };

  try {
    const name = claims.name ?? ([claims.given_name, claims.family_name].filter(Boolean).join(' ') || null);
    // Through the mirror's one user writer: a row left by a user Scalekit deleted (same email, an
    // older usr_ id, e.g. a removed member invited again) is retired, not a unique violation.
    const user = await db.$transaction(async (tx) => {
      await upsertMirrorUsers(tx, [
        {
          id: claims.sub,
          email,
          ...(name ? { name } : {}),
          ...(claims.given_name ? { firstName: claims.given_name } : {}),
          ...(claims.family_name ? { lastName: claims.family_name } : {}),
          lastLoginAt: new Date(now()),
        },
      ]);
      return tx.user.findUniqueOrThrow({ where: { id: claims.sub }, select: { id: true, email: true, name: true } });
    });
    const access = accessFromScalekit(accessClaims.roles, accessClaims.permissions);
    await ensureOrganization(organizationId, deps);
    // Scalekit issued a token for this organization, so the membership is ACTIVE there: an
    // invitee who just signed up is accepted in the mirror now, not when a webhook arrives.
    await upsertMembership({
      organizationId,
      userId: user.id,
      email,
      name,
      status: 'ACTIVE',
      access,
      acceptedAt: new Date(now()),
    });
    await syncOtherMemberships(user.id, email, name, organizationId, deps);
    await joinByVerifiedDomain({ id: user.id, email, name });

    const accessTokenExpiresAt = accessTokenExpiry(accessClaims.exp, tokens.expiresIn, now());
    const session = await createSession({
      userId: user.id,
      organizationId,
      scalekitSessionId: claims.sid ?? (typeof accessClaims.sid === 'string' ? accessClaims.sid : null),
      refreshToken: tokens.refreshToken,
      idToken: tokens.idToken,
      accessTokenExpiresAt,
      expiresAt: new Date(now() + SESSION_MAX_AGE_SECONDS * 1000),
      authMethod: await resolveAuthMethod(claims.amr, organizationId, async (orgId, connectionId) => {
        const { connection } = await deps.scalekit.connection.getConnection(orgId, connectionId);
        return connection ? { type: connection.type, provider: connection.provider } : null;
      }),
      ip: input.ip ?? null,
      userAgent: input.userAgent ?? null,
    });
    // The team page's "last sign-in" for this organization: one indexed UPDATE that only moves forward.
    await recordSignIn({ organizationId, userId: user.id, at: new Date(now()), method: session.authMethod ?? null });
    // Admins see sign-ins in the organization's audit log (who, how, from where).
    await recordAudit({
      actor: {
        kind: 'user',
        userId: user.id,
        email,
        name: name ?? null,
        organizationId,
        role: access?.role ?? DEFAULT_ROLE,
        permissions: access?.permissions ?? [],
        sessionId: session.id,
        request: { ip: input.ip ?? null, userAgent: input.userAgent ?? null },
      },
      organizationId,
      action: 'session.signed_in',
      target: { type: 'session', id: session.id, label: email },
      metadata: { authMethod: session.authMethod ?? null, intent: flow.intent },
    });
    const redirectTo = flow.intent === 'invite' ? DEFAULT_RETURN_TO : safeReturnTo(flow.returnTo);
    // Ids only: the audit trail of who signed in, how and from where, never a token.
    log.info(
      { userId: user.id, organizationId, sessionId: session.id, authMethod: session.authMethod, intent: flow.intent, ip: input.ip ?? null },
      'signed in',
    );
    return { ok: true, session, user, redirectTo, flowCookieName, intent: flow.intent };
  } catch (error) {
    log.error({ err: errorForLog(error) }, 'login callback: could not record the session');
    return { ok: false, code: 'server_error', flowCookieName };
  }
}

function flatten(text: string | null, max: number): string | undefined {
  if (!text) return undefined;
  const flat = text
    .replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return flat.slice(0, max) || undefined;
}

function accessTokenExpiry(exp: unknown, expiresIn: unknown, now: number): Date {
  if (typeof exp === 'number') return new Date(exp * 1000);
  if (typeof expiresIn === 'number' && expiresIn > 0) return new Date(now + expiresIn * 1000);
  return new Date(now + 60_000);
}

export interface MembershipAccess {
  role: string;
  permissions: GrantedPermission[];
}

/**
 * The role and permissions Scalekit gives the membership: the access token's `roles` and
 * `permissions` claims, or an OrganizationMembership's. Null (no roles named) leaves the mirror's alone.
 */
export function accessFromScalekit(roles: unknown, permissions: unknown): MembershipAccess | null {
  if (!Array.isArray(roles)) return null;
  const names = roles.filter((r): r is string => typeof r === 'string' && r !== '');
  if (names.length === 0) return null;
  const role = mirrorRole(names);
  const granted = Array.isArray(permissions) ? permissions.filter((p): p is string => typeof p === 'string') : null;
  return { role, permissions: resolvePermissions(role, granted) };
}

async function ensureOrganization(organizationId: string, deps: CallbackDeps): Promise<void> {
  const existing = await db.organization.findUnique({ where: { id: organizationId }, select: { id: true } });
  if (existing) return;
  const { organization } = await deps.scalekit.organization.getOrganization(organizationId);
  await db.organization.upsert({
    where: { id: organizationId },
    create: { id: organizationId, name: organization?.displayName || organizationId, syncedAt: new Date() },
    update: {},
  });
}

interface MembershipUpsert {
  organizationId: string;
  userId: string;
  email: string;
  name: string | null;
  status: MembershipStatus;
  access: MembershipAccess | null;
  acceptedAt: Date | null;
}

/**
 * One mirror row per (organization, person). An invitation row may know the person by email only
 * (userId still null), so both keys are looked up; a concurrent callback creating the same row
 * loses on the unique index and updates instead.
 */
async function upsertMembership(m: MembershipUpsert): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const existing = await db.membership.findFirst({
      where: { organizationId: m.organizationId, OR: [{ userId: m.userId }, { email: m.email }] },
      select: { id: true, acceptedAt: true, status: true },
    });
    try {
      if (existing) {
        // The name and role only when Scalekit gave them; accepted once, at the first ACTIVE.
        const changes: Prisma.MembershipUncheckedUpdateInput = { userId: m.userId, email: m.email, status: m.status };
        if (m.name) changes.name = m.name;
        if (m.access) Object.assign(changes, { role: m.access.role, permissions: m.access.permissions });
        if (m.status === 'ACTIVE' && !existing.acceptedAt) changes.acceptedAt = m.acceptedAt ?? new Date();
        await db.membership.update({ where: { id: existing.id }, data: changes });
      } else {
        await db.membership.create({
          data: {
            organizationId: m.organizationId,
            userId: m.userId,
            email: m.email,
            name: m.name,
            status: m.status,
            role: m.access?.role ?? DEFAULT_ROLE,
            permissions: m.access?.permissions ?? resolvePermissions(DEFAULT_ROLE, null),
            acceptedAt: m.status === 'ACTIVE' ? (m.acceptedAt ?? new Date()) : null,
          },
        });
      }
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== 'P2002' || attempt >= 2) throw error;
    }
  }
}

/**
 * Organizations that opened their verified domain to colleagues (auto-join) take the person in
 * now, so the switcher lists them on the first page. Best effort, like the sync above: the sign-in
 * already succeeded, and the next sign-in tries again.
 */
async function joinByVerifiedDomain(user: { id: string; email: string; name: string | null }): Promise<void> {
  try {
    await autoJoinVerifiedDomains(user);
  } catch (error) {
    log.warn({ err: errorForLog(error) }, 'login callback: verified-domain auto-join failed');
  }
}

const STATUS_FROM_SCALEKIT: Record<number, MembershipStatus> = { 1: 'ACTIVE', 2: 'INACTIVE', 3: 'PENDING_INVITE', 4: 'INVITE_EXPIRED' };

/**
 * Signing up accepts every live invitation for the address at once (Scalekit's rule), and the
 * org switcher should list them now. So the user's memberships are read back from Scalekit and
 * mirrored for organizations we know. Best effort: the login itself already succeeded, and
 * webhooks bring the same changes a moment later.
 */
async function syncOtherMemberships(
  userId: string,
  email: string,
  name: string | null,
  activeOrganizationId: string,
  deps: CallbackDeps,
): Promise<void> {
  try {
    const { user } = await deps.scalekit.user.getUser(userId);
    const memberships = (user?.memberships ?? []).filter((m) => m.organizationId && m.organizationId !== activeOrganizationId);
    if (memberships.length === 0) return;
    const known = new Set(
      (
        await db.organization.findMany({
          where: { id: { in: memberships.map((m) => m.organizationId) } },
          select: { id: true },
        })
      ).map((o) => o.id),
    );
    for (const m of memberships) {
      const status = STATUS_FROM_SCALEKIT[m.membershipStatus as number];
      if (!known.has(m.organizationId) || !status) continue;
      await upsertMembership({
        organizationId: m.organizationId,
        userId,
        email,
        name,
        status,
        access: accessFromScalekit(
          m.roles.map((r) => r.name),
          m.permissions,
        ),
        acceptedAt: m.acceptedAt ? new Date(Number(m.acceptedAt.seconds) * 1000) : null,
      });
    }
  } catch (error) {
    log.warn({ err: errorForLog(error) }, 'login callback: could not read memberships back from Scalekit');
  }
}
