'use server';

import { revalidatePath } from 'next/cache';
import { headers } from 'next/headers';
import { actorFromContext, getSessionContext } from '@/lib/auth/guards';
import { AppError, UnauthenticatedError } from '@/lib/errors/app-error';
import { toActionResult, type ActionResult } from '@/lib/errors/respond';
import { requestToJoin } from '@/lib/organizations/verified-domains';
import { orgIdSchema } from '@/app/orgs/[orgId]/admin-action';

/**
 * The switcher's "Request to join <org>": the person is not a member of that organization, so the
 * actor is them in their current one; whether the target takes requests from their domain is
 * decided by requestToJoin from the database, never from the form. Origin-checked by Next.js.
 */
export async function requestToJoinAction(organizationId: unknown): Promise<ActionResult> {
  try {
    const parsed = orgIdSchema.safeParse(organizationId);
    if (!parsed.success) throw new AppError('not_found', 'That organization does not exist.');
    const target = parsed.data;
    const ctx = await getSessionContext();
    if (!ctx) throw new UnauthenticatedError('Your session has ended. Sign in again to continue.');
    const actor = actorFromContext(ctx, ctx.organization.id, await headers());
    const { organizationName } = await requestToJoin(actor, target);
    revalidatePath('/', 'layout');
    return { ok: true, message: `Request sent. An admin of ${organizationName} will review it.` };
  } catch (error) {
    return toActionResult(error, { organizationId: typeof organizationId === 'string' ? organizationId.slice(0, 80) : null });
  }
}
