import type PgBoss from 'pg-boss';
import { db } from '@/lib/db';
import { getEnv } from '@/lib/env';
import type { InvitationRequest, Organization } from '@/lib/generated/prisma/client';
import { sendNotice } from '@/lib/mail/send';
import { oneLine, type Notice } from '@/lib/mail/notice';

/**
 * The emails about invitation requests (docs/invitation-requests.md, "Notices"): to the
 * organization's inviters when one is opened, to the member who asked when it is decided. Kept
 * apart from service.ts so the invite pipeline's rule holds (lib/invitation-rules) can announce a
 * request without importing the service that imports the pipeline.
 */

/** How many of the organization's inviters are told about a new request, at most. */
const NOTICE_RECIPIENTS_MAX = 50;

function requestsUrl(organizationId: string): string {
  return `${getEnv().APP_URL}/orgs/${encodeURIComponent(organizationId)}/requests`;
}

/** The organization's people who can decide requests (members:invite), as of the mirror. */
async function reviewerEmails(organizationId: string, except: string | null): Promise<string[]> {
  const rows = await db.membership.findMany({
    where: { organizationId, status: 'ACTIVE', userId: { not: null }, permissions: { has: 'members:invite' } },
    select: { email: true },
    orderBy: { createdAt: 'asc' },
    take: NOTICE_RECIPIENTS_MAX,
  });
  return rows.map((r) => r.email).filter((e) => e !== except);
}

function describeSource(request: InvitationRequest): string {
  if (request.source === 'RULE') return `held by the rule "${request.ruleDescription ?? 'an invitation rule'}"`;
  if (request.source === 'DOMAIN') return 'asked to join from a verified domain';
  return `asked by ${request.requestedByLabel ?? 'a member'}`;
}

async function noticesForNewRequest(org: Organization, request: InvitationRequest, askerEmail: string | null): Promise<Notice[]> {
  const to = await reviewerEmails(org.id, askerEmail);
  const subject = oneLine(`Invitation request for ${request.email} in ${org.name}`);
  const text = [
    `${request.requestedByLabel ?? 'Someone'} asked for ${request.email} to be invited to ${org.name} as ${request.role} (${describeSource(request)}).`,
    request.reason ? `Reason: ${request.reason}` : null,
    '',
    `Approve or deny it: ${requestsUrl(org.id)}`,
  ]
    .filter((line) => line !== null)
    .join('\n');
  return to.map((address) => ({ key: `request.created:${request.id}:${address}`, to: address, subject, text }));
}

/** The person to tell about a decision: the member who asked (their account's address), if a person asked. */
async function requesterEmail(request: InvitationRequest): Promise<string | null> {
  if (!request.requestedByUserId) return null;
  const user = await db.user.findUnique({ where: { id: request.requestedByUserId }, select: { email: true } });
  return user?.email ?? null;
}

export async function noticeForDecision(org: Organization, request: InvitationRequest, actorEmail: string | null): Promise<Notice[]> {
  const to = await requesterEmail(request);
  if (!to || to === actorEmail) return [];
  const approved = request.status === 'APPROVED';
  const subject = oneLine(`Your invitation request for ${request.email} was ${approved ? 'approved' : 'denied'}`);
  const text = [
    approved
      ? `${request.decidedByLabel ?? 'An admin'} approved your request: ${request.email} has been invited to ${org.name} as ${request.role}.`
      : `${request.decidedByLabel ?? 'An admin'} denied your request to invite ${request.email} to ${org.name}.`,
    request.decisionNote ? `Note: ${request.decisionNote}` : null,
    '',
    `Your requests: ${requestsUrl(org.id)}`,
  ]
    .filter((line) => line !== null)
    .join('\n');
  return [{ key: `request.${approved ? 'approved' : 'denied'}:${request.id}:${to}`, to, subject, text }];
}

async function loadOrg(organizationId: string): Promise<Organization | null> {
  return db.organization.findUnique({ where: { id: organizationId } });
}

/**
 * Tell the organization's inviters about a request that was just opened, whatever opened it (a
 * member here; a rule that held an invitation, or a verified-domain "ask to join", call this after
 * openInvitationRequest). Queues the notices and returns how many; never throws for the mail.
 */
export async function announceRequest(request: InvitationRequest, { boss }: { boss?: PgBoss } = {}): Promise<number> {
  const org = await loadOrg(request.organizationId);
  if (!org) return 0;
  const asker = request.requestedByUserId
    ? ((await db.user.findUnique({ where: { id: request.requestedByUserId }, select: { email: true } }))?.email ?? null)
    : null;
  return sendNotice(await noticesForNewRequest(org, request, asker), { boss });
}
