import type { Metadata } from 'next';
import { ChevronDownIcon, CircleAlertIcon, KeyRoundIcon, MailIcon } from 'lucide-react';
import { BrandMark } from '@/components/brand';
import { FormField } from '@/components/form-field';
import { GitHubIcon, GoogleIcon, MicrosoftIcon } from '@/components/provider-icons';
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { describeLoginError, firstParam } from './login-error';

export const metadata: Metadata = {
  title: 'Sign in',
  // Sign-in pages have nothing worth indexing and may carry ?error= codes.
  robots: { index: false },
};

/** Every method is a plain GET form to this route, so sign-in works with JavaScript off. */
const LOGIN_ROUTE = '/api/auth/login';

const providers = [
  { id: 'google', label: 'Google', Icon: GoogleIcon },
  { id: 'github', label: 'GitHub', Icon: GitHubIcon },
  { id: 'microsoft', label: 'Microsoft', Icon: MicrosoftIcon },
] as const;

type SearchParams = Record<string, string | string[] | undefined>;

/**
 * The login route validates returnTo properly (same-origin paths only); this only avoids
 * carrying obvious junk through the forms.
 */
function carriedReturnTo(value: string | undefined): string | undefined {
  return value && value.startsWith('/') && value.length <= 2048 ? value : undefined;
}

function ReturnToField({ returnTo }: { returnTo?: string }) {
  return returnTo ? <input type="hidden" name="returnTo" value={returnTo} /> : null;
}

function Divider({ children }: { children: React.ReactNode }) {
  return (
    <div className="flex items-center gap-3 text-xs text-muted-foreground uppercase" role="separator">
      <span className="h-px flex-1 bg-border" />
      {children}
      <span className="h-px flex-1 bg-border" />
    </div>
  );
}

export default async function LoginPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const query = await searchParams;
  const returnTo = carriedReturnTo(firstParam(query.returnTo));
  // Only the code: error_description is anyone's text and never shown (login-error.ts).
  const error = describeLoginError(firstParam(query.error));
  const loginHint = firstParam(query.login_hint)?.slice(0, 320) ?? '';
  const ssoOpen = firstParam(query.sso) === '1';

  return (
    <div className="flex flex-1 items-start justify-center bg-muted/40 px-4 py-12 sm:items-center sm:py-16">
      <div className="w-full max-w-[400px]">
        <div className="mb-6 flex flex-col items-center gap-3 text-center">
          <BrandMark className="size-10" />
          <h1 className="text-2xl font-semibold tracking-tight">Sign in to Teamgate</h1>
          <p className="text-sm text-muted-foreground">Use the sign-in method your organization set up for you.</p>
        </div>

        <div className="flex flex-col gap-5 rounded-xl border bg-card p-6 shadow-sm">
          {error ? (
            <Alert variant="destructive" data-testid="login-error">
              <CircleAlertIcon aria-hidden="true" />
              <AlertTitle>{error.title}</AlertTitle>
              <AlertDescription>{error.detail}</AlertDescription>
              {error.code ? (
                <AlertDescription className="font-mono text-xs text-muted-foreground">Error code: {error.code}</AlertDescription>
              ) : null}
            </Alert>
          ) : null}

          {/* One field first: the identity provider sends an address whose domain has SSO to that
              organization's identity provider, and everyone else gets an email code. */}
          <form action={LOGIN_ROUTE} method="get" className="grid gap-3" aria-label="Sign in with email">
            <ReturnToField returnTo={returnTo} />
            <FormField
              id="login-email"
              label="Email"
              help="If your company uses single sign-on, we send you there; otherwise we email you a code."
            >
              <Input
                name="login_hint"
                type="email"
                required
                maxLength={320}
                autoComplete="email"
                inputMode="email"
                placeholder="you@company.com"
                defaultValue={loginHint}
              />
            </FormField>
            <Button type="submit" className="w-full">
              <MailIcon aria-hidden="true" />
              Continue with email
            </Button>
          </form>

          <Divider>or</Divider>

          <form action={LOGIN_ROUTE} method="get" className="grid gap-2" aria-label="Sign in with a social account">
            <ReturnToField returnTo={returnTo} />
            {providers.map(({ id, label, Icon }) => (
              <Button key={id} type="submit" name="provider" value={id} variant="outline" className="w-full">
                <Icon className="size-4" />
                Continue with {label}
              </Button>
            ))}
          </form>

          {/* <details> opens without JavaScript; most people never need the organization ID. */}
          <details className="group border-t pt-4" open={ssoOpen} data-testid="sso-section">
            <summary className="mx-auto flex w-fit cursor-pointer list-none items-center gap-1.5 rounded-sm text-sm font-medium text-primary underline-offset-4 hover:underline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring [&::-webkit-details-marker]:hidden">
              <KeyRoundIcon className="size-4" aria-hidden="true" />
              Sign in with your organization&apos;s SSO
              <ChevronDownIcon className="size-4 transition-transform group-open:rotate-180" aria-hidden="true" />
            </summary>
            <form action={LOGIN_ROUTE} method="get" className="mt-4 grid gap-3" aria-label="Sign in with SSO using an organization ID">
              <ReturnToField returnTo={returnTo} />
              <input type="hidden" name="sso" value="1" />
              <div className="grid gap-2">
                <Label htmlFor="sso-org">Organization ID</Label>
                <div className="flex gap-2">
                  <Input
                    id="sso-org"
                    name="organization_id"
                    required
                    maxLength={64}
                    pattern="org_[A-Za-z0-9_\-]+"
                    title="An organization ID starts with org_, for example org_acme"
                    autoComplete="off"
                    spellCheck={false}
                    placeholder="org_…"
                    className="font-mono"
                    aria-describedby="sso-org-help"
                  />
                  <Button type="submit" variant="outline">
                    Continue
                  </Button>
                </div>
                <p id="sso-org-help" className="text-xs text-muted-foreground">
                  Only if your email does not take you there: your admin can give you the ID (it starts with org_).
                </p>
              </div>
            </form>
          </details>
        </div>

        <p className="mt-6 text-center text-sm text-balance text-muted-foreground" data-testid="invite-only-note">
          Teamgate is <strong className="font-medium text-foreground">invitation-only</strong>. New here? Open the link in your invitation
          email, or ask an admin of your organization to invite you.
        </p>
      </div>
    </div>
  );
}
