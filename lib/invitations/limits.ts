/**
 * Invitation field limits, shared by the zod schemas (lib/invitations/schemas.ts) and the
 * invite form's maxLength attributes. No imports on purpose: the form is a client component, and
 * importing the schemas would ship zod to the browser, whose eval probe (`new Function`) the
 * strict CSP reports as a violation.
 */
export const EMAIL_MAX = 254;
export const NAME_MAX = 100;
