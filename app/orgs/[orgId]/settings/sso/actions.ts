'use server';

import { z } from 'zod';
import { openAdminPortal } from '@/lib/enterprise/portal';
import { adminAction, orgIdSchema, type ActionResult } from '../../admin-action';

const open = adminAction('org:settings', z.object({ orgId: orgIdSchema }), async ({ orgId }, actor) => {
  const link = await openAdminPortal(actor, orgId);
  return { message: 'Admin portal opened.', location: link.location, expiresAt: link.expiresAt };
});

/**
 * "Open admin portal": a fresh single-use portal link for this admin's browser only, minted on the
 * click (lib/enterprise/portal.ts says why it never sits in the page's HTML).
 */
export async function openAdminPortalAction(orgId: string): Promise<ActionResult<{ location: string; expiresAt: string | null }>> {
  return open({ orgId });
}
