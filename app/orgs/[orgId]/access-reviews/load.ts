import { notFound } from 'next/navigation';
import type { Actor } from '@/lib/auth/actor';
import { roleNamer } from '@/lib/access-reviews/evidence';
import { getAccessReview } from '@/lib/access-reviews/service';
import { AppError } from '@/lib/errors/app-error';

/** The review a page shows, with role display names; an unknown id (or another organization's) is the 404 page. */
export async function loadReview(actor: Actor, orgId: string, reviewId: string) {
  const review = await getAccessReview(actor, orgId, reviewId).catch((error: unknown) => {
    if (error instanceof AppError && error.code === 'review_not_found') notFound();
    throw error;
  });
  return { review, roleName: await roleNamer(orgId) };
}
