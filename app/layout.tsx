import type { Metadata, Viewport } from 'next';
import { unstable_rethrow } from 'next/navigation';
import { SiteHeader, type SiteHeaderProps } from '@/components/site-header';
import { SiteFooter } from '@/components/site-footer';
import { Toaster } from '@/components/ui/toaster';
import { csrfTokenFor } from '@/lib/auth/csrf';
import { getSessionContext } from '@/lib/auth/guards';
import { errorForLog, log } from '@/lib/log';
import { logoPath } from '@/lib/organizations/logo-limits';
import { joinSuggestions } from '@/lib/organizations/verified-domains';
import { requestToJoinAction } from '@/app/account/join-request-action';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Teamgate — invite-only team login for B2B SaaS', template: '%s · Teamgate' },
  description:
    'Teamgate gives your B2B SaaS invite-only sign-in, enterprise SSO, organizations, roles and team management, built on Scalekit.',
  applicationName: 'Teamgate',
};

export const viewport: Viewport = {
  themeColor: [
    { media: '(prefers-color-scheme: light)', color: '#fdfdfd' },
    { media: '(prefers-color-scheme: dark)', color: '#0f0f12' },
  ],
};

/**
 * The header's account data and the page's CSRF token. Only ids, names and roles cross into the
 * client components; the token is an HMAC of the session id, useless without the cookie. A
 * failing session check degrades to the anonymous header rather than breaking every page.
 */
async function headerForRequest(): Promise<{ header: SiteHeaderProps; csrfToken?: string }> {
  try {
    const ctx = await getSessionContext();
    if (!ctx) return { header: {} };
    const [csrfToken, suggestions] = await Promise.all([csrfTokenFor(ctx.session.id), joinSuggestions(ctx.user)]);
    return {
      csrfToken,
      header: {
        user: { name: ctx.user.name, email: ctx.user.email },
        orgs: ctx.memberships.map((m) => ({
          id: m.organizationId,
          name: m.organizationName,
          role: m.role,
          logoUrl: logoPath(m.organizationId, m.organizationLogoSha256),
        })),
        invitations: ctx.invitations.map((i) => ({ id: i.organizationId, name: i.organizationName })),
        joinSuggestions: suggestions.map((s) => ({ id: s.organizationId, name: s.organizationName, requested: s.requested })),
        requestJoinAction: requestToJoinAction,
        activeOrgId: ctx.organization.id,
        csrfToken,
      },
    };
  } catch (error) {
    // Next.js signals "this render is dynamic" (and redirects) by throwing; those must pass through.
    unstable_rethrow(error);
    log.error({ err: errorForLog(error) }, 'header: session check failed');
    return { header: {} };
  }
}

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const { header, csrfToken } = await headerForRequest();
  return (
    <html lang="en">
      <body className="flex min-h-dvh flex-col">
        {/* For fetch() callers: send it back as the x-csrf-token header (lib/auth/csrf.ts). */}
        {csrfToken ? <meta name="csrf-token" content={csrfToken} /> : null}
        <SiteHeader {...header} />
        <main id="main" className="flex flex-1 flex-col">
          {children}
        </main>
        <SiteFooter />
        <Toaster />
      </body>
    </html>
  );
}
