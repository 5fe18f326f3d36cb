/**
 * Turns the `error` code that the auth routes (or the identity provider, passed through) put on
 * /login into what the banner shows.
 *
 * Anyone can craft a /login link, so the banner is made of the app's own sentences only: a known
 * code gets its sentence, anything else one generic sentence. `error_description` is never read
 * (it would let a link put any text, "call this number", under our logo), and an unknown code is
 * not repeated either.
 */

export type LoginErrorView = { title: string; detail: string; code?: string };

export const LOGIN_ERRORS = {
  access_denied: {
    title: 'Sign-in was not completed',
    detail:
      'The sign-in was cancelled, or this account is not allowed in: Teamgate is invitation only. If you expected access, ask an admin of your organization for an invitation.',
  },
  invitation_required: {
    title: 'An invitation is required',
    detail: 'Teamgate is invitation-only. Ask an admin of your organization to invite this email address.',
  },
  invitation_expired: {
    title: 'This invitation has expired',
    detail: 'Ask the admin who invited you to send a new invitation.',
  },
  login_required: {
    title: 'Please sign in again',
    detail: 'Your session ended. Sign in to continue.',
  },
  session_expired: {
    title: 'Your session expired',
    detail: 'For your security you were signed out. Sign in to continue.',
  },
  invalid_state: {
    title: 'That sign-in link was already used or has expired',
    detail: 'Sign-in attempts expire after 10 minutes. Please start again.',
  },
  invalid_request: {
    title: 'Sign-in did not complete',
    detail: 'The sign-in response was incomplete. Please start again.',
  },
  invalid_grant: {
    title: 'Sign-in did not complete',
    detail: 'That sign-in response was already used or has expired. Please start again.',
  },
  invalid_token: {
    title: 'Sign-in did not complete',
    detail: 'We could not verify the sign-in response. Please start again.',
  },
  no_organization: {
    title: 'No organization yet',
    detail: 'Your account is not a member of any organization yet. Ask an admin for an invitation.',
  },
  no_longer_member: {
    title: 'You are no longer a member of any organization',
    detail:
      'An admin removed this account from its organizations. If you still need access, ask an admin of your organization to invite you again.',
  },
  // From the sign-in forms and the invitation link (lib/auth/login.ts parseLoginQuery).
  invalid_organization_id: {
    title: 'That organization ID is not valid',
    detail: 'Organization IDs look like org_… — check the ID your admin gave you, or sign in with your email.',
  },
  invalid_email: {
    title: 'That email address is not valid',
    detail: 'Check the address and try again.',
  },
  unknown_provider: {
    title: 'That sign-in provider is not offered',
    detail: 'Choose Google, GitHub, Microsoft, email or SSO.',
  },
  sso_hint_required: {
    title: 'Tell us who you are to use SSO',
    detail: 'Enter your work email or your organization ID to sign in with SSO.',
  },
  invitation_link_incomplete: {
    title: 'This invitation link is incomplete',
    detail: 'It does not say who was invited. Open the link from the invitation email again, or ask your admin for a new one.',
  },
  // From /auth/login/initiate (lib/auth/initiate-login.ts).
  unknown_issuer: {
    title: 'That sign-in link is not for Teamgate',
    detail: 'It names an identity service Teamgate does not use. Start signing in from this page instead.',
  },
  idp_login_invalid: {
    title: 'Your identity provider’s sign-in link could not be verified',
    detail: 'It may have expired. Open Teamgate from your identity provider again, or sign in here.',
  },
  initiate_login_failed: {
    title: 'Sign-in could not start',
    detail: 'The link that brought you here was not complete. Start signing in from this page.',
  },
  sso_not_configured: {
    title: 'No single sign-on for that address',
    detail: 'We could not find an SSO connection for that email or organization. Try another sign-in method.',
  },
  temporarily_unavailable: {
    title: 'Sign-in is temporarily unavailable',
    detail: 'The identity service did not respond. Please try again in a moment.',
  },
  server_error: {
    title: 'Something went wrong while signing you in',
    detail: 'Please try again.',
  },
} as const satisfies Record<string, { title: string; detail: string }>;

export type LoginErrorCode = keyof typeof LOGIN_ERRORS;

const UNKNOWN = { title: 'Sign-in did not complete', detail: 'Please try again, or use another sign-in method.' };

function isKnown(code: string): code is LoginErrorCode {
  return Object.hasOwn(LOGIN_ERRORS, code);
}

/** The banner for an `error` code, or null without one. The code is shown only when it is ours. */
export function describeLoginError(error: string | undefined): LoginErrorView | null {
  if (!error) return null;
  const code = error.trim().toLowerCase();
  if (isKnown(code)) return { ...LOGIN_ERRORS[code], code };
  return { ...UNKNOWN };
}

/** Next gives repeated query keys as arrays; only the first value means anything here. */
export function firstParam(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
