'use server';

import { revalidatePath } from 'next/cache';
import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { getSessionContext, requestMeta } from '@/lib/auth/guards';
import { db } from '@/lib/db';
import { getEnv } from '@/lib/env';
import { UnauthenticatedError } from '@/lib/errors/app-error';
import { toActionResult } from '@/lib/errors/respond';
import { SIGNED_OUT_PATH } from '@/lib/auth/logout';
import { clearedSessionCookieAttributes, sessionCookieName } from '@/lib/session/cookie';
import { deleteOwnAccount, updateOwnName, type AccountHolder } from '@/lib/users/account';
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

/** The signed-in person, re-checked against the database: the account actions act on no one else. */
async function accountHolder(): Promise<AccountHolder> {
  const ctx = await getSessionContext();
  if (!ctx) throw new UnauthenticatedError('Your session has ended. Sign in again to continue.');
  return { userId: ctx.user.id, email: ctx.user.email, sessionId: ctx.session.id, request: requestMeta(await headers()) };
}

export type AccountFormState = ActionResult | null;

/** Your own first and last name, through Scalekit (lib/users/account.ts updateOwnName). */
export async function updateNameAction(_previous: AccountFormState, form: FormData): Promise<AccountFormState> {
  try {
    const result = await updateOwnName(await accountHolder(), { firstName: form.get('firstName'), lastName: form.get('lastName') });
    revalidatePath('/', 'layout');
    return { ok: true, message: result.changed ? 'Your name is saved.' : 'Nothing to save: your name was already this.' };
  } catch (error) {
    return toActionResult(error);
  }
}

/**
 * Delete your own account (lib/users/account.ts deleteOwnAccount): refused while you are an
 * organization's last admin. On success every session has ended; this browser's cookie is
 * cleared and the action redirects to /signed-out itself (a cookie change makes Next.js re-render
 * the current page, which would otherwise send the now signed-out browser to /login first).
 */
export async function deleteAccountAction(_previous: AccountFormState, form: FormData): Promise<AccountFormState> {
  try {
    await deleteOwnAccount(await accountHolder(), form.get('confirmation'));
  } catch (error) {
    return toActionResult(error);
  }
  const { APP_URL } = getEnv();
  (await cookies()).set(sessionCookieName(APP_URL), '', clearedSessionCookieAttributes(APP_URL));
  redirect(`${SIGNED_OUT_PATH}?account=deleted`);
}
