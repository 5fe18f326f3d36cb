/**
 * Turns the `error` / `error_description` query parameters that the auth routes (or the identity
 * provider, passed through) put on /login into what the banner shows.
 *
 * Both values come from the URL, so anyone can craft them: they are only ever rendered as text,
 * cut to a sane length, stripped of control characters, and the code must look like an OAuth
 * error code — otherwise it is treated as unknown rather than shown.
 */

export type LoginErrorView = { title: string; detail?: string; code?: string };

const KNOWN: Record<string, { title: string; detail: string }> = {
  access_denied: {
    title: 'Sign-in was not completed',
    detail: 'The sign-in was cancelled or your account is not allowed in. If you expected access, ask your admin for an invitation.',
  },
  invitation_required: {
    title: 'An invitation is required',
    detail: 'Teamgate is invitation-only. Ask an admin of your organization to invite this email address.',
  },
  invitation_expired: {
    title: 'This invitation has expired',
    detail: 'Ask the admin who invited you to send a new invitation.',
  },
  login_required: { title: 'Please sign in again', detail: 'Your session ended. Sign in to continue.' },
  session_expired: { title: 'Your session expired', detail: 'For your security you were signed out. Sign in to continue.' },
  invalid_state: {
    title: 'That sign-in link was already used or has expired',
    detail: 'Sign-in attempts expire after 10 minutes. Please start again.',
  },
  sso_not_configured: {
    title: 'No single sign-on for that address',
    detail: 'We could not find an SSO connection for that email or organization. Try another sign-in method.',
  },
  temporarily_unavailable: {
    title: 'Sign-in is temporarily unavailable',
    detail: 'The identity service did not respond. Please try again in a moment.',
  },
  server_error: { title: 'Something went wrong while signing you in', detail: 'Please try again.' },
};

const MAX_DETAIL = 300;
const CODE_SHAPE = /^[a-z0-9_.-]{1,64}$/i;

function clean(text: string): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').replace(/\s+/g, ' ').trim();
  return flat.length > MAX_DETAIL ? `${flat.slice(0, MAX_DETAIL - 1)}…` : flat;
}

export function describeLoginError(error: string | undefined, description: string | undefined): LoginErrorView | null {
  if (!error) return null;
  const code = CODE_SHAPE.test(error) ? error.toLowerCase() : undefined;
  const known = code ? KNOWN[code] : undefined;
  const fromProvider = description ? clean(description) : '';
  if (known) return { title: known.title, detail: fromProvider || known.detail, code };
  return {
    title: 'Sign-in did not complete',
    detail: fromProvider || 'Please try again, or use another sign-in method.',
    code,
  };
}

/** Next gives repeated query keys as arrays; only the first value means anything here. */
export function firstParam(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
