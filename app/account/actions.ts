'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { getSessionContext } from '@/lib/auth/guards';
import { db } from '@/lib/db';
import { revokeSession } from '@/lib/session/store';

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
