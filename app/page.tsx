import Link from 'next/link';
import { ArrowRightIcon, Building2Icon, KeyRoundIcon, MailPlusIcon, ScrollTextIcon, ShieldCheckIcon } from 'lucide-react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';

const features = [
  {
    icon: MailPlusIcon,
    title: 'Invitation-only signup',
    body: 'Public signup stays off. Admins invite one teammate or a CSV of hundreds; invitees sign up from the email and land in their organization.',
  },
  {
    icon: KeyRoundIcon,
    title: 'Every way to sign in',
    body: 'Email magic link or code, Google, GitHub and Microsoft, and enterprise SSO over SAML or OIDC, all through Scalekit.',
  },
  {
    icon: Building2Icon,
    title: 'Organizations and roles',
    body: 'People can belong to several organizations with a role in each, and switch between them without signing out.',
  },
  {
    icon: ScrollTextIcon,
    title: 'Accountable by default',
    body: 'Server-side sessions you can revoke, signed webhooks verified on the raw body, and an audit log of every change to a team.',
  },
] as const;

// Illustration only: mirrors the demo seed so the picture matches what `npm run dev` shows.
const previewMembers = [
  { name: 'Ada Admin', email: 'ada@acme.test', role: 'Admin', status: 'Active' },
  { name: 'Max Member', email: 'max@acme.test', role: 'Member', status: 'Active' },
  { name: 'Riley Both', email: 'riley@consultant.test', role: 'Member', status: 'Active' },
  { name: 'Nia Newhire', email: 'new.hire@acme.test', role: 'Member', status: 'Invited' },
] as const;

export default function LandingPage() {
  return (
    <>
      <section className="relative overflow-hidden border-b">
        <div
          aria-hidden="true"
          className="pointer-events-none absolute inset-0 bg-[radial-gradient(60%_60%_at_70%_0%,var(--color-accent),transparent)] opacity-70"
        />
        <div className="relative mx-auto grid max-w-6xl grid-cols-1 items-center gap-12 px-4 py-14 sm:px-6 md:py-20 lg:grid-cols-[1fr_1.05fr]">
          <div className="flex min-w-0 flex-col items-start gap-6">
            <Badge variant="outline" className="gap-1.5 bg-card px-2.5 py-1">
              <ShieldCheckIcon className="text-primary" aria-hidden="true" />
              Invite-only · Built on Scalekit
            </Badge>
            <h1 className="text-4xl leading-[1.1] font-semibold tracking-tight text-balance sm:text-5xl">
              Team login for B2B SaaS, <span className="block text-primary">by invitation only.</span>
            </h1>
            <p className="max-w-xl text-lg leading-relaxed text-pretty text-muted-foreground">
              Teamgate puts a secure front door on your Next.js product: your customers&apos; admins invite their people, everyone signs in
              the way their company requires, and nobody gets in uninvited.
            </p>
            <div className="flex flex-wrap items-center gap-3">
              <Button asChild size="lg">
                <Link href="/login">
                  Sign in
                  <ArrowRightIcon aria-hidden="true" />
                </Link>
              </Button>
              <Button asChild size="lg" variant="outline">
                <Link href="#features">See how it works</Link>
              </Button>
            </div>
            <p className="text-sm text-muted-foreground">No account yet? Ask your organization&apos;s admin for an invitation.</p>
          </div>

          <div aria-hidden="true" className="min-w-0 overflow-hidden rounded-xl border bg-card shadow-xl shadow-primary/5">
            <div className="flex items-center justify-between gap-3 border-b px-4 py-3">
              <div className="flex items-center gap-2">
                <span className="flex size-7 items-center justify-center rounded-md bg-accent text-accent-foreground">
                  <Building2Icon className="size-4" />
                </span>
                <div>
                  <p className="text-sm font-medium">Acme · Team</p>
                  <p className="text-xs text-muted-foreground">4 members · 21 seats left</p>
                </div>
              </div>
              <span className="inline-flex h-8 items-center gap-1.5 rounded-md bg-primary px-3 text-[13px] font-medium text-primary-foreground">
                <MailPlusIcon className="size-3.5" />
                Invite
              </span>
            </div>
            <Table>
              <TableHeader>
                <TableRow className="hover:bg-transparent">
                  <TableHead className="pl-4">Member</TableHead>
                  <TableHead>Role</TableHead>
                  <TableHead className="pr-4 text-right">Status</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {previewMembers.map((m) => (
                  <TableRow key={m.email} className="hover:bg-transparent">
                    <TableCell className="pl-4">
                      <div className="flex items-center gap-2.5">
                        <span className="flex size-7 items-center justify-center rounded-full bg-muted text-[11px] font-semibold text-muted-foreground">
                          {m.name
                            .split(' ')
                            .map((w) => w[0])
                            .join('')}
                        </span>
                        <div className="min-w-0">
                          <p className="truncate font-medium">{m.name}</p>
                          <p className="truncate text-xs text-muted-foreground">{m.email}</p>
                        </div>
                      </div>
                    </TableCell>
                    <TableCell>
                      <Badge variant={m.role === 'Admin' ? 'default' : 'secondary'}>{m.role}</Badge>
                    </TableCell>
                    <TableCell className="pr-4 text-right">
                      <Badge variant={m.status === 'Active' ? 'success' : 'warning'}>{m.status}</Badge>
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
        </div>
      </section>

      <section id="features" aria-labelledby="features-heading" className="mx-auto w-full max-w-6xl scroll-mt-20 px-4 py-16 sm:px-6">
        <div className="max-w-2xl">
          <h2 id="features-heading" className="text-2xl font-semibold tracking-tight sm:text-3xl">
            Everything a closed beta or an enterprise customer expects
          </h2>
          <p className="mt-3 text-muted-foreground">
            Scalekit holds the identities; Teamgate gives your app the sessions, team pages and guard rails around them.
          </p>
        </div>
        <ul className="mt-10 grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
          {features.map(({ icon: Icon, title, body }) => (
            <li key={title} className="flex flex-col gap-3 rounded-xl border bg-card p-5 shadow-xs">
              <span className="flex size-9 items-center justify-center rounded-lg bg-accent text-accent-foreground">
                <Icon className="size-[18px]" aria-hidden="true" />
              </span>
              <h3 className="font-semibold tracking-tight">{title}</h3>
              <p className="text-sm leading-relaxed text-muted-foreground">{body}</p>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
