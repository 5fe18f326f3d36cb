import { z } from 'zod';
import { AppError } from '@/lib/errors/app-error';
import type { WebhookEnvelope } from '@/lib/webhooks/verify';

/**
 * The parts of Scalekit's webhook payloads the app reads, as its OpenAPI document defines them
 * (components.schemas OrgMembershipEventData, OrganizationEventData, UserAuthEventData, RoleEventData, PermissionEventData in
 * openapi/scalekit.yaml; vendored in test/contract/scalekit/webhooks.json). Everything else a
 * payload carries is allowed and ignored. payloads.test.ts parses every documented example.
 *
 * Note what is *not* there: membership events carry the organization and the user, but no status,
 * roles or invitation dates. The app reads those from Scalekit when the event arrives
 * (lib/webhooks/membership-events.ts).
 */

export const scalekitId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/);
const optionalText = z
  .string()
  .nullish()
  .transform((v) => v || null);

export const membershipEventDataSchema = z.object({
  organization: z.object({ id: scalekitId }),
  user: z.object({
    id: scalekitId,
    email: z.string().min(3).max(320),
    external_id: optionalText,
    user_profile: z
      .object({ given_name: optionalText, family_name: optionalText, name: optionalText })
      .nullish()
      .transform((v) => v ?? null),
  }),
});
export type MembershipEventData = z.infer<typeof membershipEventDataSchema>;

export const organizationEventDataSchema = z.object({
  id: scalekitId,
  display_name: z.string().max(200),
  external_id: optionalText,
});
export type OrganizationEventData = z.infer<typeof organizationEventDataSchema>;

export const userAuthEventDataSchema = z.object({
  user: z.object({ id: scalekitId }),
  // organization_id: the organization the session signed into (absent, or empty, before one is chosen).
  user_session: z.object({
    session_id: scalekitId,
    organization_id: z
      .union([scalekitId, z.literal('')])
      .nullish()
      .transform((v) => v || null),
  }),
});
export type UserAuthEventData = z.infer<typeof userAuthEventDataSchema>;

/** role.created|updated|deleted (RoleEventData): the role's name; its permissions are not in the payload. */
export const roleEventDataSchema = z.object({
  id: z.string().min(1).max(64),
  name: z.string().min(1).max(64),
});
export type RoleEventData = z.infer<typeof roleEventDataSchema>;

/** permission.created|updated|deleted (PermissionEventData). */
export const permissionEventDataSchema = z.object({
  id: z.string().min(1).max(64),
  name: z.string().min(1).max(128),
});

/** A signed event whose data lacks the documented shape: 400, since Scalekit will not fix it by retrying. */
export function parseEventData<T>(schema: z.ZodType<T, unknown>, event: WebhookEnvelope): T {
  const parsed = schema.safeParse(event.data);
  if (!parsed.success) throw new AppError('invalid_payload', `The ${event.type} event's data does not have the shape Scalekit documents.`);
  return parsed.data;
}
