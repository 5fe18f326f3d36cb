import type { Metadata } from 'next';
import Link from 'next/link';
import { adminOnlyPage } from '@/components/admins-only';
import { getOrganizationSettings } from '@/lib/organizations/settings';
import { formatDate } from '../team/format';
import { logoPath } from '@/lib/organizations/logo-limits';
import { LogoForm, OrganizationNameForm, ResyncForm, SettingsForm } from './settings-forms';
import { listInvitationRules } from '@/lib/invitation-rules/service';
import { organizationRoles } from '@/lib/roles/catalogue';
import { InvitationRulesManager } from './invitation-rules/rules-manager';

export const metadata: Metadata = { title: 'Settings' };

/** Admins only: members are told whom to ask; anyone else gets a 404, the same as an unknown organization. */
export default adminOnlyPage('org:settings', "change the organization's settings", async ({ actor, orgId }) => {
  const settings = await getOrganizationSettings(actor, orgId);
  const [rules, roles] = await Promise.all([listInvitationRules(actor, orgId), organizationRoles(orgId)]);
  return (
    <div className="flex flex-col gap-10">
      <section aria-labelledby="settings-heading" className="flex flex-col gap-4">
        <div className="flex flex-col gap-1">
          <h1 id="settings-heading" className="text-xl font-semibold tracking-tight">
            Settings
          </h1>
          <p className="text-sm text-muted-foreground">
            {settings.seats.used} seats in use{settings.maxAllowedUsers !== null ? ` of ${settings.maxAllowedUsers}` : ''}.
          </p>
        </div>
        <SettingsForm
          orgId={orgId}
          maxAllowedUsers={settings.maxAllowedUsers}
          allowedEmailDomains={settings.allowedEmailDomains}
          membersMayRequest={settings.membersMayRequest}
        />
      </section>
      <section aria-labelledby="invitation-rules-heading" className="flex flex-col gap-4 border-t pt-6">
        <div className="flex flex-col gap-1">
          <h2 id="invitation-rules-heading" className="text-lg font-semibold tracking-tight">
            Invitation rules
          </h2>
          <p className="max-w-xl text-sm text-muted-foreground">
            Checked on every invitation — the invite form, CSV files, the API and the directory — for everyone who sends one, admins
            included. A held invitation waits in Requests for an admin to approve; a refusal says which rule refused it.
          </p>
        </div>
        <InvitationRulesManager
          orgId={orgId}
          rules={rules.map((r) => ({ id: r.id, kind: r.kind, description: r.description, enabled: r.enabled }))}
          roles={roles.map((r) => ({ name: r.name, displayName: r.displayName }))}
        />
      </section>
      <section aria-labelledby="profile-heading" className="flex flex-col gap-4 border-t pt-6">
        <h2 id="profile-heading" className="text-lg font-semibold tracking-tight">
          Organization profile
        </h2>
        <OrganizationNameForm orgId={orgId} name={settings.name} />
        <LogoForm orgId={orgId} orgName={settings.name} logoUrl={logoPath(orgId, settings.logoSha256)} />
      </section>
      <section aria-labelledby="domains-heading" className="flex flex-col gap-3 border-t pt-6">
        <h2 id="domains-heading" className="text-lg font-semibold tracking-tight">
          Verified domains
        </h2>
        <p className="max-w-xl text-sm text-muted-foreground">
          Let colleagues with an address at your company&apos;s verified domain join without an invitation, or ask to.
        </p>
        <p>
          <Link className="text-sm font-medium underline underline-offset-2" href={`/orgs/${orgId}/settings/domains`}>
            Manage verified domains
          </Link>
        </p>
      </section>
      <section aria-labelledby="sso-link-heading" className="flex flex-col gap-3 border-t pt-6">
        <h2 id="sso-link-heading" className="text-lg font-semibold tracking-tight">
          Single sign-on &amp; directory
        </h2>
        <p className="max-w-xl text-sm text-muted-foreground">
          Set up SAML or OIDC single sign-on and SCIM directory sync yourself, in Scalekit&apos;s admin portal.
        </p>
        <p>
          <Link className="text-sm font-medium underline underline-offset-2" href={`/orgs/${orgId}/settings/sso`}>
            Manage single sign-on &amp; directory
          </Link>
        </p>
      </section>
      <section aria-labelledby="resync-heading" className="flex flex-col gap-3 border-t pt-6">
        <h2 id="resync-heading" className="text-lg font-semibold tracking-tight">
          Re-sync from Scalekit
        </h2>
        <p className="max-w-xl text-sm text-muted-foreground">
          Rebuilds this organization&apos;s member list from Scalekit, the source of truth — for changes made in the Scalekit dashboard or
          webhooks that never arrived. Last synced: {settings.syncedAt ? formatDate(settings.syncedAt) : 'never'}.
        </p>
        <ResyncForm orgId={orgId} />
      </section>
      <section aria-labelledby="directory-link-heading" className="flex flex-col gap-3 border-t pt-6">
        <h2 id="directory-link-heading" className="text-lg font-semibold tracking-tight">
          Directory sync
        </h2>
        <p className="max-w-xl text-sm text-muted-foreground">
          How people your identity provider provisions (SCIM) join, and which role each directory group gives.{' '}
          <Link href={`/orgs/${orgId}/settings/directory`} className="font-medium underline underline-offset-4">
            Directory settings
          </Link>
        </p>
      </section>
    </div>
  );
});
