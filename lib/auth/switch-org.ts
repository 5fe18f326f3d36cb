/**
 * Changing the session's active organization, two ways (lib/auth/switch-policy.ts decides):
 *
 * - Through Scalekit, as Scalekit documents switching (authorize with `prompt=select_account` and
 *   the organization), when the target organization has a policy of its own to apply: SSO for
 *   the user's domain, or its own session policy. The callback then opens a session in that
 *   organization.
 * - In the app otherwise (fast, no redirect): the Session row's organizationId changes (every
 *   page and action reads the active org from the row, so no tab keeps a stale one) and the
 *   cookie is re-issued with the new `oid` for the middleware. The Scalekit tokens stay those of
 *   the login organization: Teamgate authorizes from its own membership mirror on every request,
 *   never from the access token's `oid`/`roles`, and refreshing keeps proving the Scalekit
 *   session is alive.
 */

import { z } from 'zod';
import type { SessionContext } from '@/lib/auth/guards';
import { membershipIn } from '@/lib/auth/guards';
import { switchRoute } from '@/lib/auth/switch-policy';
import { DEFAULT_RETURN_TO, safeReturnTo } from '@/lib/auth/return-to';
import { setSessionOrganization, type SessionRecord } from '@/lib/session/store';

export const switchOrgInput = z.object({
  organizationId: z.string().regex(/^org_[A-Za-z0-9_-]{1,64}$/, 'is not an organization ID'),
  returnTo: z.string().max(2048).optional(),
});

export type SwitchOrgResult =
  | { ok: true; via: 'app'; session: SessionRecord; redirectTo: string }
  /** Continue at this app path (the login route), which leaves for Scalekit's hosted login. */
  | { ok: true; via: 'scalekit'; redirectTo: string }
  | { ok: false; status: 403 | 409; code: 'not_a_member' | 'session_ended'; message: string };

/**
 * The membership is checked against the memberships loaded from the database for this request
 * (ACTIVE, or an invitation still waiting); an organization id from the client is never trusted
 * on its own.
 */
export async function switchOrganization(ctx: SessionContext, organizationId: string, returnTo?: string): Promise<SwitchOrgResult> {
  // Joining an organization that invited the user after they signed in: only Scalekit can accept
  // the invitation, and its hosted switcher offers "Join" for it (docs/sessions.md).
  const invited = ctx.invitations.some((i) => i.organizationId === organizationId);
  if (!invited && !membershipIn(ctx, organizationId)) {
    return { ok: false, status: 403, code: 'not_a_member', message: 'You are not an active member of that organization.' };
  }
  const target = invited ? DEFAULT_RETURN_TO : retarget(safeReturnTo(returnTo), organizationId);
  if (invited || (await switchRoute(organizationId, ctx.user.email)).via === 'scalekit') {
    const query = new URLSearchParams({
      organization_id: organizationId,
      prompt: 'select_account',
      login_hint: ctx.user.email,
      returnTo: target,
    });
    return { ok: true, via: 'scalekit', redirectTo: `/api/auth/login?${query.toString()}` };
  }
  const session = await setSessionOrganization(ctx.session.id, organizationId);
  if (!session) return { ok: false, status: 409, code: 'session_ended', message: 'Your session has ended. Sign in again.' };
  return { ok: true, via: 'app', session, redirectTo: target };
}

/**
 * A page of an organization (/orgs/:id/…) follows the switch to the same page of the chosen one.
 * Any organization's, not only the session's old one: the header names the organization of the
 * URL (components/page-org.ts), so switching from a page of another org must leave it too.
 */
function retarget(path: string, to: string): string {
  const match = /^\/orgs\/[^/?#]+/.exec(path);
  if (match) return `/orgs/${to}${path.slice(match[0].length)}`;
  return path || DEFAULT_RETURN_TO;
}
