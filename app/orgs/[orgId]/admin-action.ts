import { z } from 'zod';
import type { Actor } from '@/lib/auth/actor';
import type { Permission } from '@/lib/auth/permissions';
import { actorForServerAction } from '@/lib/auth/guards';
import { toActionResult, type ActionResult } from '@/lib/errors/respond';
import { validationError } from '@/lib/errors/zod';

export type { ActionResult };

/**
 * The one wrapper every org-admin server action runs through, in this order: the input parsed
 * once with zod (whatever the browser sent is only a claim) → the session re-checked against the
 * database and the caller an ACTIVE member of THE organization the input names whose role grants
 * `permission` (null: any member; the service checks again, with its own finer rules) → the body. Any
 * throw becomes `{ ok: false, error, fieldErrors }` (lib/errors/respond.ts) with every field's
 * message; server actions never throw to the client.
 */
export function adminAction<S extends z.ZodType<{ orgId: string }>, T extends Record<string, unknown>>(
  permission: Permission | null,
  schema: S,
  body: (input: z.output<S>, actor: Actor) => Promise<{ message: string } & T>,
): (input: unknown) => Promise<ActionResult<T>> {
  return async (raw) => {
    let orgId: string | undefined;
    try {
      const parsed = schema.safeParse(raw);
      if (!parsed.success) throw validationError(parsed.error, 'The form is not valid.');
      orgId = parsed.data.orgId;
      const actor = await actorForServerAction(orgId, permission);
      return { ok: true, ...(await body(parsed.data, actor)) };
    } catch (error) {
      return toActionResult(error, { orgId });
    }
  };
}

/** An organization id as the app mints them; anything else cannot name one of the caller's organizations. */
export const orgIdSchema = z.string({ error: 'Unknown organization.' }).regex(/^[A-Za-z0-9_-]{1,64}$/, 'Unknown organization.');

/** A row id from the page (a membership, an API key, a bulk job): checked once here, looked up inside the organization by the service. */
export function rowIdSchema(notFound: string) {
  return z.string({ error: notFound }).min(1, notFound).max(64, notFound);
}
