import { z } from 'zod';
import type { Actor } from '@/lib/auth/actor';
import { systemActor } from '@/lib/auth/actor';
import { assertCan } from '@/lib/auth/authorize';
import { DEFAULT_ROLE } from '@/lib/auth/permissions';
import { recordAudit } from '@/lib/audit/record';
import { db } from '@/lib/db';
import { AppError } from '@/lib/errors/app-error';
import type { DomainJoinMode, OrganizationDomain, Prisma } from '@/lib/generated/prisma/client';
import { openInvitationRequest } from '@/lib/invitation-requests/create';
import { announceRequest } from '@/lib/invitation-requests/notices';
import { membershipIn, type ScalekitUserLike } from '@/lib/invitations/scalekit-membership';
import { errorForLog, log } from '@/lib/log';
import { getScalekit } from '@/lib/scalekit/client';
import { ScalekitCallError, scalekitErrorCode } from '@/lib/scalekit/errors';

/**
 * Verified domains and what they let colleagues do (issue 12 item 4).
 *
 * Scalekit owns the domain and proves the organization owns it: the organization admin adds it in
 * Scalekit's admin portal, publishes the TXT record, and Scalekit polls DNS until it is VERIFIED
 * (developer-docs src/content/docs/authenticate/manage-users-orgs/organization-domains.mdx, "Via
 * Admin portal"). Teamgate never registers a domain through the API on an admin's say-so: API
 * domains are "Admin-verified" with no DNS check (same page, "Via API"), so an admin could claim
 * someone else's company and pull its people into their organization.
 *
 * What Teamgate adds is the join mode, per verified domain: NONE (invitation only, the default),
 * AUTO_JOIN (signing in with an address there makes you a member with the default role) or
 * SUGGEST (you are offered "Request to join"; an admin decides in Requests). A domain that is not
 * VERIFIED at Scalekit opens nothing, whatever its mode.
 */

export const DOMAIN_JOIN_MODES = ['NONE', 'AUTO_JOIN', 'SUGGEST'] as const satisfies readonly DomainJoinMode[];

export const JOIN_MODE_LABELS: Record<DomainJoinMode, string> = {
  NONE: 'Invitation only',
  AUTO_JOIN: 'Join automatically',
  SUGGEST: 'Ask to join (an admin approves)',
};

// scalekit.v1.domains.VerificationStatus / DomainType numbers (domains_pb.d.ts).
const VERIFICATION_STATUS: Record<number, string> = { 0: 'UNSPECIFIED', 1: 'PENDING', 2: 'VERIFIED', 3: 'FAILED', 4: 'AUTO_VERIFIED' };
const ORGANIZATION_DOMAIN = 2;

interface ScalekitDomainLike {
  id: string;
  domain: string;
  domainType: number;
  verificationStatus: number;
}

function mirrorRows(organizationId: string, domains: ScalekitDomainLike[]) {
  return domains
    .filter((d) => d.domainType === ORGANIZATION_DOMAIN && d.id && d.domain)
    .map((d) => {
      const status = VERIFICATION_STATUS[d.verificationStatus] ?? 'UNSPECIFIED';
      return { id: d.id, organizationId, domain: d.domain.toLowerCase(), verificationStatus: status, verified: status === 'VERIFIED' };
    });
}

type DomainClient = Pick<Prisma.TransactionClient, 'organizationDomain'>;

/** Read the organization's domains from Scalekit (a network call: never inside a transaction). */
export async function readScalekitDomains(organizationId: string): Promise<ReturnType<typeof mirrorRows>> {
  const answer = await getScalekit().domain.listDomains(organizationId, { domainType: 'ORGANIZATION_DOMAIN' });
  return mirrorRows(organizationId, answer.domains as unknown as ScalekitDomainLike[]);
}

/**
 * Make the mirror what Scalekit listed: new domains arrive with mode NONE, a domain's mode survives
 * its status changing (it simply opens nothing while unverified), removed domains go.
 */
export async function applyScalekitDomains(
  organizationId: string,
  rows: ReturnType<typeof mirrorRows>,
  client: DomainClient = db,
): Promise<void> {
  const now = new Date();
  await client.organizationDomain.deleteMany({ where: { organizationId, id: { notIn: rows.map((r) => r.id) } } });
  for (const row of rows) {
    await client.organizationDomain.upsert({
      where: { id: row.id },
      create: { ...row, syncedAt: now },
      update: { domain: row.domain, verificationStatus: row.verificationStatus, verified: row.verified, syncedAt: now },
    });
  }
}

export async function refreshOrganizationDomains(organizationId: string): Promise<void> {
  await applyScalekitDomains(organizationId, await readScalekitDomains(organizationId));
}

export interface DomainsView {
  domains: OrganizationDomain[];
  /** Scalekit could not be read: the list is the mirror's last copy */
  stale: boolean;
}

/** The settings page's list: fresh from Scalekit, or the last copy (marked stale) when it is down. */
export async function listOrganizationDomains(actor: Actor, organizationId: string): Promise<DomainsView> {
  assertCan(actor, organizationId, 'org:settings');
  let stale = false;
  try {
    await refreshOrganizationDomains(organizationId);
  } catch (error) {
    log.warn({ err: errorForLog(error), organizationId }, 'scalekit listDomains failed; showing the last copy');
    stale = true;
  }
  const domains = await db.organizationDomain.findMany({ where: { organizationId }, orderBy: { domain: 'asc' } });
  return { domains, stale };
}

export const joinModeInput = z.strictObject({
  domainId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'That is not a domain of this organization.'),
  joinMode: z.enum(DOMAIN_JOIN_MODES, { error: 'Choose Invitation only, Join automatically or Ask to join.' }),
});

/**
 * Change what a domain lets people do. Opening a domain (any mode but NONE) asks Scalekit first
 * whether it is verified now, so a domain that failed or was removed a moment ago cannot be opened
 * from a stale page.
 */
export async function setDomainJoinMode(actor: Actor, organizationId: string, rawInput: unknown): Promise<OrganizationDomain> {
  assertCan(actor, organizationId, 'org:settings');
  const parsed = joinModeInput.safeParse(rawInput);
  if (!parsed.success) throw new AppError('validation_failed', parsed.error.issues[0]?.message ?? 'The choice is not valid.');
  const { domainId, joinMode } = parsed.data;
  const known = await db.organizationDomain.findFirst({ where: { id: domainId, organizationId } });
  if (!known) throw new AppError('not_found', 'That domain is not one of this organization’s. Reload the page to see the current list.');

  if (joinMode !== 'NONE') {
    try {
      await refreshOrganizationDomains(organizationId);
    } catch (error) {
      const failure = ScalekitCallError.from(error);
      throw new AppError(failure.code, failure.message, { retryable: failure.retryable });
    }
    const current = await db.organizationDomain.findFirst({ where: { id: domainId, organizationId } });
    if (!current)
      throw new AppError('not_found', `${known.domain} is no longer registered at Scalekit. Reload the page to see the current list.`);
    if (!current.verified) {
      throw new AppError(
        'domain_not_verified',
        `${current.domain} is not verified yet (${current.verificationStatus.toLowerCase()}). Publish the TXT record shown in the admin portal; once Scalekit verifies it, choose again.`,
      );
    }
  }

  return db.$transaction(async (tx) => {
    const before = await tx.organizationDomain.findUniqueOrThrow({ where: { id: domainId } });
    if (before.joinMode === joinMode) return before;
    const updated = await tx.organizationDomain.update({ where: { id: domainId }, data: { joinMode } });
    await recordAudit(
      {
        actor,
        organizationId,
        action: 'org.domain_join_mode_changed',
        target: { type: 'organization', id: organizationId, label: updated.domain },
        metadata: { domain: updated.domain, from: before.joinMode, to: joinMode },
      },
      tx,
    );
    return updated;
  });
}

function emailDomain(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1).toLowerCase();
}

/** Verified domains of other organizations that this address opens, and that the person is not in yet. */
async function openDomainsFor(userId: string, email: string, mode: DomainJoinMode) {
  return db.organizationDomain.findMany({
    where: {
      domain: emailDomain(email),
      verified: true,
      joinMode: mode,
      organization: { memberships: { none: { OR: [{ userId }, { email: email.toLowerCase() }] } } },
    },
    include: { organization: { select: { id: true, name: true } } },
    orderBy: { organization: { name: 'asc' } },
  });
}

export interface AutoJoined {
  organizationId: string;
  domain: string;
}

/**
 * At sign-in: every organization with an AUTO_JOIN verified domain matching the address gets the
 * person as a member with the default role, at Scalekit first (CreateMembership without an
 * invitation email, so it is ACTIVE at once), then in the mirror, audited as member.joined by
 * "verified domain". Scalekit's refusals (seat limit, the membership already exists) are per
 * organization and never fail the sign-in.
 */
export async function autoJoinVerifiedDomains(user: { id: string; email: string; name: string | null }): Promise<AutoJoined[]> {
  const joined: AutoJoined[] = [];
  for (const open of await openDomainsFor(user.id, user.email, 'AUTO_JOIN')) {
    const organizationId = open.organizationId;
    let scalekitUser: ScalekitUserLike | undefined;
    try {
      scalekitUser = (await getScalekit().user.createMembership(organizationId, user.id, { sendInvitationEmail: false })).user as
        ScalekitUserLike | undefined;
    } catch (error) {
      if (scalekitErrorCode(error) === 'MEMBERSHIP_ALREADY_EXISTS') {
        scalekitUser = (await getScalekit().user.getUser(user.id)).user as ScalekitUserLike | undefined;
      } else {
        log.warn({ err: errorForLog(error), organizationId, userId: user.id }, 'verified-domain auto-join refused by Scalekit');
        continue;
      }
    }
    const membership = scalekitUser ? membershipIn(scalekitUser, organizationId) : null;
    if (!membership || membership.status !== 'ACTIVE') continue;
    await db.$transaction(async (tx) => {
      const existing = await tx.membership.findFirst({ where: { organizationId, OR: [{ userId: user.id }, { email: user.email }] } });
      const data = {
        userId: user.id,
        email: user.email,
        name: user.name,
        role: membership.role,
        permissions: membership.permissions,
        status: 'ACTIVE' as const,
        syncState: 'SYNCED' as const,
        acceptedAt: membership.acceptedAt ?? new Date(),
      };
      if (existing) await tx.membership.update({ where: { id: existing.id }, data });
      else await tx.membership.create({ data: { organizationId, ...data } });
      await recordAudit(
        {
          actor: systemActor('verified domain', organizationId),
          organizationId,
          action: 'member.joined',
          target: { type: 'membership', id: existing?.id ?? null, label: user.email },
          metadata: { via: 'verified_domain', domain: open.domain, role: membership.role },
        },
        tx,
      );
    });
    joined.push({ organizationId, domain: open.domain });
  }
  return joined;
}

export interface JoinSuggestion {
  organizationId: string;
  organizationName: string;
  domain: string;
  /** A request from this person is waiting for an admin */
  requested: boolean;
}

/** Organizations whose SUGGEST domain matches the address: the header offers "Request to join". */
export async function joinSuggestions(user: { id: string; email: string }): Promise<JoinSuggestion[]> {
  const open = await openDomainsFor(user.id, user.email, 'SUGGEST');
  if (open.length === 0) return [];
  const pending = await db.invitationRequest.findMany({
    where: { organizationId: { in: open.map((o) => o.organizationId) }, pendingEmail: user.email.toLowerCase() },
    select: { organizationId: true },
  });
  const waiting = new Set(pending.map((p) => p.organizationId));
  return open.map((o) => ({
    organizationId: o.organizationId,
    organizationName: o.organization.name,
    domain: o.domain,
    requested: waiting.has(o.organizationId),
  }));
}

/**
 * "Request to join": re-checked here, never taken from the client — the address's domain must be
 * a verified SUGGEST domain of that organization and the person not already in it. The request
 * joins the one queue admins decide on (lib/invitation-requests), as a DOMAIN request for the
 * default role; approving it sends an invitation the person accepts from the switcher.
 */
export async function requestToJoin(actor: Actor, organizationId: string) {
  if (actor.kind !== 'user') throw new AppError('forbidden', 'Only a signed-in person can ask to join an organization.');
  const suggestion = (await joinSuggestions({ id: actor.userId, email: actor.email })).find((s) => s.organizationId === organizationId);
  if (!suggestion) {
    throw new AppError(
      'forbidden',
      'That organization does not take requests from your email domain. Ask one of its admins for an invitation.',
    );
  }
  const { request, created } = await openInvitationRequest(actor, {
    organizationId,
    email: actor.email,
    name: actor.name,
    role: DEFAULT_ROLE,
    reason: `Signed in with an address at ${suggestion.domain}`,
    source: 'DOMAIN',
    origin: 'domain',
  });
  // The organization's inviters are told by email, as for a member's request (lib/mail).
  if (created) await announceRequest(request);
  return { request, organizationName: suggestion.organizationName };
}
