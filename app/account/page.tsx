import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { MonitorSmartphoneIcon } from 'lucide-react';
import { TableColumns } from '@/components/table-columns';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Table, TableBody, TableCell, TableRow } from '@/components/ui/table';
import { describeAuthMethod } from '@/lib/auth/auth-method';
import { csrfTokenFor } from '@/lib/auth/csrf';
import { requireSession, type SessionContext } from '@/lib/auth/guards';
import { listUserSessions } from '@/lib/session/store';
import { db } from '@/lib/db';
import { revokeOtherSession } from './actions';
import { DeleteAccount } from './delete-account';
import { ProfileForm } from './profile-form';
import { LeaveOrganization } from './leave-organization';
import { SignOutEverywhere } from './sign-out-everywhere';
import { roleDisplayNames } from '@/lib/roles/catalogue';

export const metadata: Metadata = { title: 'Account & sessions' };

/** A readable browser/OS from a user agent, without a parsing library: good enough to tell devices apart. */
function deviceLabel(userAgent: string | null): string {
  if (!userAgent) return 'Unknown device';
  const browser = /Edg\//.test(userAgent)
    ? 'Edge'
    : /Firefox\//.test(userAgent)
      ? 'Firefox'
      : /Chrome\/|Chromium\//.test(userAgent)
        ? 'Chrome'
        : /Safari\//.test(userAgent)
          ? 'Safari'
          : 'Browser';
  const os = /Windows/.test(userAgent)
    ? 'Windows'
    : /Mac OS X|Macintosh/.test(userAgent)
      ? 'macOS'
      : /Android/.test(userAgent)
        ? 'Android'
        : /iPhone|iPad/.test(userAgent)
          ? 'iOS'
          : /Linux/.test(userAgent)
            ? 'Linux'
            : 'unknown OS';
  return `${browser} on ${os}`;
}

const when = (date: Date) => date.toLocaleString('en', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }) + ' UTC';

async function revokeAction(formData: FormData): Promise<void> {
  'use server';
  await revokeOtherSession(formData);
}

/** One card of the page: a title, what it is for, an optional icon, and its content. */
function AccountSection({
  title,
  description,
  icon,
  children,
}: {
  title: string;
  description: string;
  icon?: ReactNode;
  children: ReactNode;
}) {
  return (
    <Card>
      <CardHeader className="flex-row items-start justify-between gap-3">
        <div className="flex flex-col gap-1.5">
          <CardTitle className="text-base">{title}</CardTitle>
          <CardDescription>{description}</CardDescription>
        </div>
        {icon}
      </CardHeader>
      <CardContent>{children}</CardContent>
    </Card>
  );
}

/** The user's organizations, each with its role and a way to leave it. */
function YourOrganizations({
  memberships,
  roleName,
}: {
  memberships: SessionContext['memberships'];
  roleName: (organizationId: string, role: string) => string;
}) {
  return (
    <AccountSection
      title="Your organizations"
      description="Leave one you no longer work with. An admin has to invite you again to come back."
    >
      <Table aria-label="Your organizations">
        <TableColumns columns={['Organization', 'Your role']} actions="text-right" />
        <TableBody>
          {memberships.map((m) => (
            <TableRow key={m.organizationId} data-testid="account-org" data-org={m.organizationId}>
              <TableCell className="font-medium">{m.organizationName}</TableCell>
              <TableCell>{roleName(m.organizationId, m.role)}</TableCell>
              <TableCell className="text-right">
                <LeaveOrganization orgId={m.organizationId} orgName={m.organizationName} />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </AccountSection>
  );
}

export default async function AccountPage() {
  const ctx = await requireSession('/account');
  const [sessions, csrfToken, roleName, profile] = await Promise.all([
    listUserSessions(ctx.user.id),
    csrfTokenFor(ctx.session.id),
    roleDisplayNames(ctx.memberships),
    db.user.findUnique({ where: { id: ctx.user.id }, select: { firstName: true, lastName: true } }),
  ]);

  return (
    <div className="mx-auto flex w-full max-w-4xl flex-col gap-8 px-4 py-10 sm:px-6">
      <div className="flex flex-col gap-1">
        <h1 className="text-2xl font-semibold tracking-tight">Account &amp; sessions</h1>
        <p className="text-sm text-muted-foreground">
          {ctx.user.name ? `${ctx.user.name} · ` : ''}
          {ctx.user.email}
        </p>
      </div>

      <AccountSection
        title="Your profile"
        description="Your name as your organizations see it. Your email address is your sign-in and cannot be changed here."
      >
        <ProfileForm firstName={profile?.firstName ?? ''} lastName={profile?.lastName ?? ''} />
      </AccountSection>

      <AccountSection
        title="Where you are signed in"
        description="Every browser with a live Teamgate session. Sign out any you do not recognise."
        icon={<MonitorSmartphoneIcon className="size-5 text-muted-foreground" aria-hidden="true" />}
      >
        <Table aria-label="Your sessions">
          <TableColumns columns={['Device', 'Signed in with', 'Organization', 'Started']} actions="text-right" />
          <TableBody>
            {sessions.map((s) => {
              const current = s.id === ctx.session.id;
              return (
                <TableRow key={s.id} data-testid={current ? 'session-current' : 'session-other'}>
                  <TableCell>
                    <span className="flex items-center gap-2">
                      {deviceLabel(s.userAgent)}
                      {current ? <Badge variant="success">This browser</Badge> : null}
                    </span>
                    {s.ip ? <span className="block text-xs text-muted-foreground">{s.ip}</span> : null}
                  </TableCell>
                  <TableCell>{describeAuthMethod(s.authMethod)}</TableCell>
                  <TableCell>{s.organizationName ?? s.organizationId}</TableCell>
                  <TableCell className="text-sm text-muted-foreground">{when(s.createdAt)}</TableCell>
                  <TableCell className="text-right">
                    {current ? null : (
                      <form action={revokeAction}>
                        <input type="hidden" name="sessionId" value={s.id} />
                        <Button type="submit" size="sm" variant="outline">
                          Sign out
                        </Button>
                      </form>
                    )}
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      </AccountSection>

      <YourOrganizations memberships={ctx.memberships} roleName={roleName} />

      <AccountSection
        title="Sign out everywhere"
        description={`${
          sessions.length > 1 ? `Ends all ${sessions.length} of your sessions, including this one,` : 'Ends this session, your only one,'
        } here and at your identity provider.`}
      >
        <SignOutEverywhere csrfToken={csrfToken} sessionCount={sessions.length} />
      </AccountSection>

      <AccountSection
        title="Delete account"
        description="Deletes your account at Scalekit and in Teamgate. Not possible while you are the last admin of an organization: make someone else an admin there first."
      >
        <DeleteAccount email={ctx.user.email} organizations={ctx.memberships.map((m) => m.organizationName)} />
      </AccountSection>
    </div>
  );
}
