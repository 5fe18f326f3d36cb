import { html, page } from './html.js';
import { newId } from './ids.js';
import { INVITATION_PATH, invitationToken } from './oauth/invitations.js';
import type { EmailRecord, OrganizationRecord, State, UserRecord } from './state.js';

// Emails are "sent" into the mailbox; tests and people read them through
// /_emulator/emails and /_emulator/mailbox.

const MAILBOX_LIMIT = 1000;

export function deliver(state: State, email: Omit<EmailRecord, 'id' | 'sentAt'>): EmailRecord {
  const record: EmailRecord = { ...email, id: newId('msg'), sentAt: new Date().toISOString() };
  state.mailbox.push(record);
  if (state.mailbox.length > MAILBOX_LIMIT) state.mailbox.splice(0, state.mailbox.length - MAILBOX_LIMIT);
  return record;
}

/**
 * Seeded invitations are mailed while the state is built, before the emulator listens and knows
 * its URL; their links carry this origin until relinkMailbox swaps in the real one.
 */
export const UNSTARTED_ORIGIN = 'http://emulator.unstarted';

/** Scalekit's hosted invitation link, on the emulator's origin (oauth/invitations.ts). */
export function invitationLink(state: State, user: UserRecord, organization: OrganizationRecord, expiresAt: Date): string | null {
  const token = invitationToken(state, {
    userId: user.id,
    email: user.email,
    organizationId: organization.id,
    expiresAt: expiresAt.getTime(),
  });
  if (!token) return null;
  // The origin has no path, and the token is base64url plus '.', which needs no escaping: the
  // same string as a URL object with searchParams would give, without building one per invite.
  return `${state.publicUrl || UNSTARTED_ORIGIN}${INVITATION_PATH}?token=${token}`;
}

export function relinkMailbox(state: State): void {
  const swap = (text: string) => text.split(UNSTARTED_ORIGIN).join(state.publicUrl);
  for (const email of state.mailbox) {
    email.text = swap(email.text);
    email.html = swap(email.html);
    email.links = email.links.map(swap);
  }
}

export function sendInvitation(
  state: State,
  user: UserRecord,
  organization: OrganizationRecord,
  inviterEmail: string | null,
  expiresAt: Date,
): EmailRecord {
  const app = state.environment.appName;
  const link = invitationLink(state, user, organization, expiresAt);
  const subject = `You're invited to join ${organization.name} on ${app}`;
  const who = inviterEmail ? `${inviterEmail} invited you` : 'You have been invited';
  const until = expiresAt.toUTCString();
  const text = [
    `${who} to join ${organization.name} on ${app}.`,
    '',
    link ? `Accept the invitation: ${link}` : 'No sign-in URL is registered for this application.',
    '',
    `This invitation expires on ${until}.`,
  ].join('\n');
  const body = html`<h1>Join ${organization.name}</h1>
    <p>${who} to join <strong>${organization.name}</strong> on ${app}.</p>
    ${link ? html`<p><a class="button" href="${link}">Accept invitation</a></p>` : html`<p class="error">No sign-in URL is registered.</p>`}
    <p class="muted">This invitation expires on ${until}.</p>`;
  return deliver(state, {
    to: user.email,
    subject,
    text,
    html: page(subject, body, { appName: app }),
    links: link ? [link] : [],
    code: null,
  });
}

export function sendSignInCode(state: State, to: string, code: string): EmailRecord {
  const app = state.environment.appName;
  const subject = `Your ${app} sign-in code`;
  const minutes = Math.round(state.environment.otpTtlSeconds / 60);
  const text = `Your ${app} sign-in code is ${code}.\n\nIt expires in ${minutes} minutes. If you did not try to sign in, ignore this email.`;
  const body = html`<h1>Your sign-in code</h1>
    <p>Enter this code to continue signing in to ${app}:</p>
    <p style="font-size:28px;font-weight:700;letter-spacing:.2em">${code}</p>
    <p class="muted">It expires in ${minutes} minutes. If you did not try to sign in, ignore this email.</p>`;
  return deliver(state, { to, subject, text, html: page(subject, body, { appName: app }), links: [], code });
}

/** The headless passwordless email (PasswordlessService): a code, a magic link, or both. */
export function sendPasswordlessEmail(
  state: State,
  input: { to: string; signup: boolean; code: string | null; link: string | null; expiresAt: Date; variables: Record<string, string> },
): EmailRecord {
  const app = state.environment.appName;
  const subject = input.signup ? `Finish signing up for ${app}` : `Sign in to ${app}`;
  const until = input.expiresAt.toUTCString();
  const variables = Object.entries(input.variables);
  const text = [
    input.signup ? `Confirm your email address to finish signing up for ${app}.` : `Use this to sign in to ${app}.`,
    '',
    ...(input.code ? [`Your verification code: ${input.code}`] : []),
    ...(input.link ? [`Magic link: ${input.link}`] : []),
    '',
    `It expires on ${until}. If you did not ask for it, ignore this email.`,
    ...(variables.length ? ['', ...variables.map(([k, v]) => `${k}: ${v}`)] : []),
  ].join('\n');
  const body = html`<h1>${subject}</h1>
    ${input.code ? html`<p style="font-size:28px;font-weight:700;letter-spacing:.2em">${input.code}</p>` : ''}
    ${input.link ? html`<p><a class="button" href="${input.link}">${input.signup ? 'Finish signing up' : 'Sign in'}</a></p>` : ''}
    <p class="muted">It expires on ${until}. If you did not ask for it, ignore this email.</p>
    ${variables.map(([k, v]) => html`<p class="muted">${k}: ${v}</p>`)}`;
  return deliver(state, {
    to: input.to,
    subject,
    text,
    html: page(subject, body, { appName: app }),
    links: input.link ? [input.link] : [],
    code: input.code,
  });
}
