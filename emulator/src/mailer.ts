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
  const token = invitationToken(state, { userId: user.id, organizationId: organization.id, expiresAt: expiresAt.getTime() });
  if (!token) return null;
  const url = new URL(INVITATION_PATH, state.publicUrl || UNSTARTED_ORIGIN);
  url.searchParams.set('token', token);
  return url.toString();
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
