import { getScalekit } from '@/lib/scalekit/client';
import { errorForLog, log } from '@/lib/log';

/**
 * Whether switching into an organization must go through Scalekit's hosted login rather than
 * the fast in-app switch (lib/auth/switch-org.ts).
 *
 * Scalekit documents switching as an authorize call with `prompt=select_account` and the
 * organization (developer-docs authenticate/manage-users-orgs/organization-switching.mdx, "Switch
 * users directly to a specific organization"), which lets the target organization's own policy
 * apply: its SSO for users of its domains ("each with their own SSO authentication policies"),
 * its session policy. The in-app switch skips that. So it is kept only where no such policy
 * exists:
 * - an enabled SSO connection of the organization covers the user's email domain → Scalekit (the
 *   person must prove themselves to that organization's identity provider);
 * - the organization has its own session policy (policy source CUSTOM) → Scalekit, so the new
 *   session is made under it;
 * - otherwise in-app.
 * When Scalekit cannot be asked, the answer is "through Scalekit": the careful path, and the one
 * that fails visibly if Scalekit is down rather than silently skipping a policy.
 */

const SESSION_POLICY_CUSTOM = 2; // scalekit.v1.organizations.SessionPolicyType.CUSTOM

export type SwitchRoute = { via: 'app' } | { via: 'scalekit'; reason: 'sso' | 'session_policy' | 'policy_unknown' };

export async function switchRoute(organizationId: string, email: string): Promise<SwitchRoute> {
  const domain = email.split('@')[1]?.toLowerCase() ?? '';
  const scalekit = getScalekit();
  try {
    const [connections, policy] = await Promise.all([
      scalekit.connection.listConnections(organizationId),
      scalekit.organization.getOrganizationSessionPolicy(organizationId),
    ]);
    const sso = connections.connections.some((c) => c.enabled && c.domains.some((d) => d.toLowerCase() === domain));
    if (sso) return { via: 'scalekit', reason: 'sso' };
    if (policy.policySource === SESSION_POLICY_CUSTOM) return { via: 'scalekit', reason: 'session_policy' };
    return { via: 'app' };
  } catch (error) {
    log.warn({ organizationId, err: errorForLog(error) }, 'switch policy unknown (Scalekit unreachable): switching through Scalekit');
    return { via: 'scalekit', reason: 'policy_unknown' };
  }
}
