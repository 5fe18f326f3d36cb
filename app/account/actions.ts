'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { getSessionContext } from '@/lib/auth/guards';
import { db } from '@/lib/db';
import { leaveOrganization } from '@/lib/members/service';
import { revokeSession } from '@/lib/session/store';
import { adminAction, orgIdSchema, type ActionResult } from '@/app/orgs/[orgId]/admin-action';

const input = z.object({ sessionId: z.string().min(1).max(255) });

export type RevokeOtherSessionResult = { ok: true } | { ok: false; error: string };

/**
 * Signs out one of the user's other browsers. Server actions are origin-checked by Next.js; the
 * session id comes from the form, so it must belong to the signed-in user.
 */
export async function revokeOtherSession(formData: FormData): Promise<RevokeOtherSessionResult> {
  const ctx = await getSessionContext();
  if (!ctx) return { ok: false, error: 'Your session has ended. Sign in again.' };
  const parsed = input.safeParse({ sessionId: formData.get('sessionId') });
  if (!parsed.success) return { ok: false, error: 'That session does not exist.' };
  const owned = await db.session.findFirst({ where: { id: parsed.data.sessionId, userId: ctx.user.id }, select: { id: true } });
  if (!owned) return { ok: false, error: 'That session does not exist.' };
  await revokeSession(owned.id, 'signed_out_elsewhere');
  revalidatePath('/account');
  return { ok: true };
}

const leave = adminAction(null, z.object({ orgId: orgIdSchema }), async ({ orgId }, actor) => {
  const name = (await getSessionContext())?.memberships.find((m) => m.organizationId === orgId)?.organizationName ?? orgId;
  await leaveOrganization(actor, orgId);
  revalidatePath('/account');
  revalidatePath('/dashboard');
  return { message: `You left ${name}.` };
});

/**
 * Leave one of your organizations (lib/members/service.ts leaveOrganization): your sessions in it
 * end, this one too when it is the active organization, so the page then goes to the dashboard,
 * which asks you to sign in again or shows your other organization.
 */
export async function leaveOrganizationAction(orgId: string): Promise<ActionResult> {
  return leave({ orgId });
}
