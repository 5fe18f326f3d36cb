import { z } from 'zod';
import { DEFAULT_ROLE, ROLE_NAME_PATTERN } from '@/lib/auth/permissions';
import { fieldErrors } from '@/lib/errors/zod';

/**
 * The one definition of a valid invitation, shared by the form, the API and
 * each CSV row, so all three refuse the same input with the same words.
 */

import { EMAIL_MAX, NAME_MAX } from './limits';

export { EMAIL_MAX, NAME_MAX };
export const EXTERNAL_ID_MAX = 128;
export const METADATA_MAX_KEYS = 20;

// Control characters would end up in emails and CSV exports; nobody types them on purpose.
export const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

export const emailSchema = z
  .string({ error: 'Enter an email address.' })
  .trim()
  .min(1, 'Enter an email address.')
  .max(EMAIL_MAX, `An email address has at most ${EMAIL_MAX} characters.`)
  .toLowerCase()
  .pipe(z.email({ error: 'Enter a valid email address, like name@company.com.' }));

/** A role's name as Scalekit spells it; whether the organization has it is checked against its roles (lib/roles/catalogue.ts). */
export const roleSchema = z
  .string({ error: 'Role must be a role name, such as member.' })
  .trim()
  .regex(ROLE_NAME_PATTERN, 'Role must be a role name: 1 to 64 letters, digits or underscores, such as member.');

export const nameSchema = z
  .string({ error: 'Name must be text.' })
  .trim()
  .max(NAME_MAX, `A name has at most ${NAME_MAX} characters.`)
  .refine((v) => !CONTROL_CHARS.test(v), 'Name contains characters that are not allowed.')
  .transform((v) => (v === '' ? undefined : v));

export const externalIdSchema = z
  .string({ error: 'externalId must be text.' })
  .trim()
  .min(1, 'externalId must not be empty.')
  .max(EXTERNAL_ID_MAX, `externalId has at most ${EXTERNAL_ID_MAX} characters.`)
  .regex(/^[A-Za-z0-9._:@\-]+$/, 'externalId may contain letters, digits and . _ : @ - only.');

export const metadataSchema = z
  .record(
    z.string().regex(/^[A-Za-z0-9_.\-]{1,40}$/, 'Metadata keys are 1–40 letters, digits, _ . or -.'),
    z
      .string({ error: 'Metadata values must be text.' })
      .max(500, 'Metadata values have at most 500 characters.')
      .refine((v) => !CONTROL_CHARS.test(v), 'Metadata values contain characters that are not allowed.'),
    { error: 'metadata must be an object of text values.' },
  )
  .refine((m) => Object.keys(m).length <= METADATA_MAX_KEYS, `metadata has at most ${METADATA_MAX_KEYS} keys.`);

export const inviteInputSchema = z.strictObject(
  {
    email: emailSchema,
    role: roleSchema.default(DEFAULT_ROLE),
    name: nameSchema.optional(),
    externalId: externalIdSchema.optional(),
    metadata: metadataSchema.optional(),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `Unknown field: ${issue.keys.join(', ')}.`
        : 'Send an object with email, role, name, externalId, metadata.',
  },
);

export type InviteInput = z.output<typeof inviteInputSchema>;
/** What callers may pass before parsing (the API body, a CSV row, form data). */
export type InviteInputRaw = z.input<typeof inviteInputSchema>;

/** The API accepts one invitation or `{ invitations: [...] }` (up to 100 per call). */
export const API_BATCH_MAX = 100;
export const inviteBatchSchema = z.strictObject({
  invitations: z
    .array(z.unknown(), { error: 'invitations must be an array.' })
    .min(1, 'invitations must not be empty.')
    .max(API_BATCH_MAX, `At most ${API_BATCH_MAX} invitations per request; use the bulk CSV page for more.`),
});

export type ParsedInvite = { ok: true; value: InviteInput } | { ok: false; message: string; fields: Record<string, string> };

/** Parse untrusted input into an invitation; never throws. */
export function parseInviteInput(input: unknown): ParsedInvite {
  const result = inviteInputSchema.safeParse(input);
  if (result.success) return { ok: true, value: result.data };
  const fields = fieldErrors(result.error);
  return { ok: false, fields, message: Object.values(fields)[0] ?? 'The invitation is not valid.' };
}

/** The part after @, lower-cased. */
export function emailDomain(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1).toLowerCase();
}

/** Whether `email` may be invited given the org's allowed domains (empty list = any). Subdomains do not match. */
export function domainAllowed(email: string, allowedDomains: readonly string[]): boolean {
  if (allowedDomains.length === 0) return true;
  const domain = emailDomain(email);
  return allowedDomains.some((d) => d.toLowerCase() === domain);
}
