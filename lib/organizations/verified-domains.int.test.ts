import { ScalekitClient } from '@scalekit-sdk/node';
import { describe, expect, it } from 'vitest';
import { AppError } from '@/lib/errors/app-error';
import { processScalekitEvent } from '@/lib/webhooks/process';
import { scalekitMembers, useTeamTestStack, userActor } from '@/lib/members/testing';
import { autoJoinVerifiedDomains, joinSuggestions, listOrganizationDomains, requestToJoin, setDomainJoinMode } from './verified-domains';

/**
 * Verified domains (issue 12 item 4) against a real database and the emulator through the real
 * SDK. Pat and Quinn have Scalekit accounts (members of Globex) at contractor.test and
 * partner.test; Acme registers those domains and chooses what they open.
 */

const stack = await useTeamTestStack({
  extendSeed(seed) {
    const user = (id: string, email: string) => ({
      id,
      email,
      firstName: id.slice(4),
      lastName: 'Test',
      socialIdentities: [],
      memberships: [{ organizationId: 'org_globex', roles: ['member'], status: 'ACTIVE' }],
    });
    (seed.users as unknown[]).push(user('usr_pat', 'pat@contractor.test'), user('usr_quinn', 'quinn@partner.test'));
    // Added by Acme's admin in the admin portal: the TXT record is not found yet.
    const acme = (seed.organizations as Array<{ id: string; domains?: unknown[] }>).find((o) => o.id === 'org_acme')!;
    acme.domains = [{ id: 'dom_acme_pending', domain: 'pending.test', verification: 'DNS_PENDING' }];
  },
});
const { prisma } = stack.db;
const sdk = () => new ScalekitClient(stack.emulator.url, 'skc_teamgate_dev', 'sks_teamgate_dev_only_not_a_real_secret');
const quinn = userActor('usr_quinn', 'quinn@partner.test', 'org_globex', 'member');

/** A domain as the Scalekit dashboard or API adds it: admin-verified at once (organization-domains.mdx, "Via API"). */
async function verifiedDomain(organizationId: string, name: string): Promise<string> {
  const created = await sdk().domain.createDomain(organizationId, name, { domainType: 'ORGANIZATION_DOMAIN' });
  return created.domain!.id;
}

describe('verified domains', () => {
  it('lists Scalekit’s organization domains with their status; a member may not; another org sees none of them', async () => {
    const id = await verifiedDomain('org_acme', 'contractor.test');
    const view = await listOrganizationDomains(stack.acmeAdmin, 'org_acme');
    expect(view.stale).toBe(false);
    expect(view.domains.map((d) => [d.domain, d.verificationStatus, d.verified, d.joinMode])).toEqual([
      ['contractor.test', 'VERIFIED', true, 'NONE'],
      ['pending.test', 'PENDING', false, 'NONE'],
    ]);
    expect(view.domains[0]!.id).toBe(id);
    await expect(listOrganizationDomains(stack.acmeMember, 'org_acme')).rejects.toMatchObject({ status: 403 });
    expect((await listOrganizationDomains(stack.globexAdmin, 'org_globex')).domains.map((d) => d.domain)).not.toContain('contractor.test');
    await expect(setDomainJoinMode(stack.globexAdmin, 'org_globex', { domainId: id, joinMode: 'AUTO_JOIN' })).rejects.toMatchObject({
      status: 404,
    });
  });

  it('auto-join: a sign-in with an address at the domain makes them an ACTIVE member with the default role, at Scalekit and in the mirror, once', async () => {
    const [domain] = (await listOrganizationDomains(stack.acmeAdmin, 'org_acme')).domains.filter((d) => d.domain === 'contractor.test');
    // Nothing opens while the mode is NONE.
    expect(await autoJoinVerifiedDomains({ id: 'usr_pat', email: 'pat@contractor.test', name: 'Pat' })).toEqual([]);

    await setDomainJoinMode(stack.acmeAdmin, 'org_acme', { domainId: domain!.id, joinMode: 'AUTO_JOIN' });
    const audit = await prisma.auditEvent.findFirstOrThrow({
      where: { organizationId: 'org_acme', action: 'org.domain_join_mode_changed' },
    });
    expect(audit).toMatchObject({ actorLabel: 'ada@acme.test', metadata: { domain: 'contractor.test', from: 'NONE', to: 'AUTO_JOIN' } });

    expect(await autoJoinVerifiedDomains({ id: 'usr_pat', email: 'pat@contractor.test', name: 'Pat' })).toEqual([
      { organizationId: 'org_acme', domain: 'contractor.test' },
    ]);
    expect((await scalekitMembers(stack.emulator, 'org_acme'))['pat@contractor.test']).toMatchObject({
      status: 1 /* ACTIVE */,
      roles: ['member'],
    });
    const row = await prisma.membership.findUniqueOrThrow({
      where: { organizationId_email: { organizationId: 'org_acme', email: 'pat@contractor.test' } },
    });
    expect(row).toMatchObject({ userId: 'usr_pat', status: 'ACTIVE', role: 'member', syncState: 'SYNCED' });
    const joined = await prisma.auditEvent.findFirstOrThrow({
      where: { organizationId: 'org_acme', action: 'member.joined', targetLabel: 'pat@contractor.test' },
    });
    expect(joined).toMatchObject({
      actorType: 'system',
      actorLabel: 'verified domain',
      metadata: { via: 'verified_domain', domain: 'contractor.test' },
    });

    // The next sign-in finds them a member already: nothing more happens.
    expect(await autoJoinVerifiedDomains({ id: 'usr_pat', email: 'pat@contractor.test', name: 'Pat' })).toEqual([]);
    expect(await prisma.auditEvent.count({ where: { action: 'member.joined', targetLabel: 'pat@contractor.test' } })).toBe(1);
  });

  it('suggest: the person is offered Acme, their request lands in the one queue as a DOMAIN request, once; others cannot ask', async () => {
    const id = await verifiedDomain('org_acme', 'partner.test');
    await listOrganizationDomains(stack.acmeAdmin, 'org_acme');
    await setDomainJoinMode(stack.acmeAdmin, 'org_acme', { domainId: id, joinMode: 'SUGGEST' });
    // Suggest never joins anyone by itself.
    expect(await autoJoinVerifiedDomains({ id: 'usr_quinn', email: 'quinn@partner.test', name: null })).toEqual([]);

    expect(await joinSuggestions({ id: 'usr_quinn', email: 'quinn@partner.test' })).toEqual([
      { organizationId: 'org_acme', organizationName: 'Acme', domain: 'partner.test', requested: false },
    ]);
    const first = await requestToJoin(quinn, 'org_acme');
    const again = await requestToJoin(quinn, 'org_acme');
    expect(again.request.id).toBe(first.request.id);
    expect(first.request).toMatchObject({
      organizationId: 'org_acme',
      email: 'quinn@partner.test',
      role: 'member',
      source: 'DOMAIN',
      origin: 'domain',
      status: 'PENDING',
      requestedByUserId: 'usr_quinn',
      reason: 'Signed in with an address at partner.test',
    });
    expect((await joinSuggestions({ id: 'usr_quinn', email: 'quinn@partner.test' }))[0]?.requested).toBe(true);
    expect(await prisma.membership.count({ where: { organizationId: 'org_acme', email: 'quinn@partner.test' } })).toBe(0);

    // Gina's address is not at a domain Acme opened; an id from the form is not enough.
    const gina = userActor('usr_gina', 'gina@globex.test', 'org_globex', 'admin');
    const refused = await requestToJoin(gina, 'org_acme').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ status: 403 });
  });

  it('a domain waiting for DNS cannot be opened; once Scalekit verifies it, it can; a domain event re-reads Scalekit and a deleted domain closes', async () => {
    const id = 'dom_acme_pending';
    const before = (await listOrganizationDomains(stack.acmeAdmin, 'org_acme')).domains.find((d) => d.id === id);
    expect(before).toMatchObject({ domain: 'pending.test', verificationStatus: 'PENDING', verified: false });
    const refused = await setDomainJoinMode(stack.acmeAdmin, 'org_acme', { domainId: id, joinMode: 'AUTO_JOIN' }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'domain_not_verified', status: 409 });
    expect((refused as Error).message).toMatch(/^pending\.test is not verified yet \(pending\)\. Publish the TXT record/);
    expect((await prisma.organizationDomain.findUniqueOrThrow({ where: { id } })).joinMode).toBe('NONE');

    // Scalekit's DNS poll finds the record.
    const settled = await fetch(`${stack.emulator.url}/_emulator/domains/dns-check`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id, outcome: 'verified' }),
    });
    expect(settled.status).toBe(200);
    expect(await setDomainJoinMode(stack.acmeAdmin, 'org_acme', { domainId: id, joinMode: 'AUTO_JOIN' })).toMatchObject({
      verified: true,
      joinMode: 'AUTO_JOIN',
    });

    await sdk().domain.deleteDomain('org_acme', id);
    const outcome = await processScalekitEvent({
      id: 'evt_domain_deleted_1',
      type: 'organization.domain_deleted',
      occurred_at: new Date().toISOString(),
      environment_id: 'env_test',
      organization_id: 'org_acme',
      object: 'OrganizationDomain',
      data: { id, domain: 'pending.test', organization_id: 'org_acme' },
    } as never);
    expect(outcome).toBe('applied');
    expect(await prisma.organizationDomain.findUnique({ where: { id } })).toBeNull();
    await expect(setDomainJoinMode(stack.acmeAdmin, 'org_acme', { domainId: id, joinMode: 'AUTO_JOIN' })).rejects.toMatchObject({
      status: 404,
    });
  });

  it('refuses a mode that is not one of the three, naming the choices', async () => {
    const [domain] = (await listOrganizationDomains(stack.acmeAdmin, 'org_acme')).domains;
    await expect(setDomainJoinMode(stack.acmeAdmin, 'org_acme', { domainId: domain!.id, joinMode: 'EVERYONE' })).rejects.toMatchObject({
      status: 400,
      message: 'Choose Invitation only, Join automatically or Ask to join.',
    });
  });
});
