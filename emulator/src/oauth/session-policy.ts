import type { SessionRecord, State } from '../state.js';

// Session lifetimes under the application's and the organization's session policies.
//
// developer-docs src/content/docs/authenticate/manage-organizations/organization-session-policy.mdx:
// "Scalekit always enforces the stricter of the two (application vs. organization) at session
// creation time": absolute timeout min(app, org); idle timeout "Enabled if either the app or org
// has it on; duration is min(app value, org value)"; access token lifetime stays application-only.
// The emulator's application policy is the environment's refreshTokenTtlSeconds as the absolute
// timeout and no idle timeout (it has no setting for one).

/** The application policy's absolute timeout: what every session gets before an organization is known. */
export function applicationAbsoluteSeconds(state: State): number {
  return state.environment.refreshTokenTtlSeconds;
}

/**
 * Tightens a session to the policy of the organization it is being used for. Called when a sign-in
 * completes into an organization (the session's creation, as far as that organization is
 * concerned); a session reused for a second organization keeps the stricter of both, so a policy
 * never loosens an existing session.
 */
export function applyOrganizationPolicy(state: State, session: SessionRecord, organizationId: string): void {
  const policy = state.organizations.get(organizationId)?.sessionPolicy;
  if (!policy) return;
  const absolute = session.createdAt.getTime() + policy.absoluteSessionTimeoutMinutes * 60_000;
  if (absolute < session.absoluteExpiresAt.getTime()) session.absoluteExpiresAt = new Date(absolute);
  if (policy.idleSessionTimeoutEnabled && policy.idleSessionTimeoutMinutes !== null) {
    const idle = policy.idleSessionTimeoutMinutes * 60;
    session.idleTimeoutSeconds = Math.min(session.idleTimeoutSeconds ?? idle, idle);
  }
}

/** When the session ends if nobody uses it, or null when no idle timeout applies. */
export function idleExpiresAt(session: SessionRecord): Date | null {
  if (!session.idleTimeoutSeconds) return null;
  return new Date(session.lastActiveAt.getTime() + session.idleTimeoutSeconds * 1000);
}

/** Past its absolute timeout, or idle for longer than its idle timeout. */
export function sessionExpired(session: SessionRecord, now = Date.now()): boolean {
  if (session.absoluteExpiresAt.getTime() <= now) return true;
  const idle = idleExpiresAt(session);
  return idle !== null && idle.getTime() <= now;
}

/** A refresh token lives no longer than the session it renews. */
export function refreshTokenExpiry(state: State, session: SessionRecord | undefined, now = Date.now()): Date {
  const own = now + state.environment.refreshTokenTtlSeconds * 1000;
  return new Date(session ? Math.min(own, session.absoluteExpiresAt.getTime()) : own);
}
