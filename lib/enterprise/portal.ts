import type { Actor } from '@/lib/auth/actor';
import { assertCan } from '@/lib/auth/authorize';
import { recordAudit } from '@/lib/audit/record';
import { db } from '@/lib/db';
import { getEnv } from '@/lib/env';
import { AppError } from '@/lib/errors/app-error';
import { ScalekitCallError } from '@/lib/scalekit/errors';
import { getScalekit } from '@/lib/scalekit/client';

/**
 * Scalekit's self-serve admin portal for one organization (developer-docs
 * src/components/templates/_admin-portal.mdx, "Embed the admin portal"):
 * `organization.generatePortalLink(orgId)` answers `{ id, location, expireTime }`; `location` is
 * the iframe's src. The link is a bearer credential ("Anyone with the link can view and update the
 * organization's connection settings"), single-use and valid for one minute, and a loaded portal
 * keeps a session of up to 6 hours. So it is minted only when an admin asks for it (a server
 * action behind a click, never in a page's HTML), handed to that admin's browser once, and never
 * logged or stored: the audit row records that the portal was opened, not the link.
 */

export interface PortalLink {
  location: string;
  expiresAt: string | null;
}

export async function openAdminPortal(actor: Actor, organizationId: string): Promise<PortalLink> {
  assertCan(actor, organizationId, 'org:settings');
  const org = await db.organization.findUnique({ where: { id: organizationId }, select: { name: true } });
  if (!org) throw new AppError('not_found', 'This organization is not known to Teamgate.');

  let link: Awaited<ReturnType<ReturnType<typeof getScalekit>['organization']['generatePortalLink']>>;
  try {
    link = await getScalekit().organization.generatePortalLink(organizationId);
  } catch (error) {
    const failure = ScalekitCallError.from(error);
    if (!failure.retryable) throw failure;
    throw new AppError(failure.code, 'Scalekit is not reachable — try again in a moment. The admin portal was not opened.', {
      retryable: true,
    });
  }
  // The page frames only the Scalekit environment's origin (lib/http/security-headers.ts
  // frame-src); a location elsewhere would be refused by the browser, so it is refused here, plainly.
  const environment = new URL(getEnv().SCALEKIT_ENVIRONMENT_URL).origin;
  let origin: string | null = null;
  try {
    origin = new URL(link.location).origin;
  } catch {
    origin = null;
  }
  if (origin !== environment) {
    throw new AppError('scalekit_error', 'Scalekit answered with an admin portal link outside its own environment; nothing was opened.');
  }
  const expiresAt = link.expireTime ? new Date(Number(link.expireTime.seconds) * 1000).toISOString() : null;

  await recordAudit({
    actor,
    organizationId,
    action: 'org.admin_portal_opened',
    target: { type: 'organization', id: organizationId, label: org.name },
    metadata: { expiresAt },
  });
  return { location: link.location, expiresAt };
}
