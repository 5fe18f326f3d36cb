/**
 * Every page of the app a person can reach, for sweeps (CSP, accessibility). `ready` is text
 * the page shows once rendered. Signed-in pages use the seeded admin of Acme.
 */
export interface AppPage {
  name: string;
  path: string;
  ready: RegExp;
}

export const SIGNED_OUT_PAGES: AppPage[] = [
  { name: 'landing', path: '/', ready: /invite-only/i },
  { name: 'login', path: '/login', ready: /Sign in to Teamgate/ },
  {
    name: 'login error (auth error page)',
    path: '/login?error=access_denied&error_description=Signup%20is%20by%20invitation%20only',
    ready: /invitation only/,
  },
  { name: 'signed out', path: '/signed-out', ready: /signed out/i },
  { name: 'not found', path: '/no-such-page', ready: /not found|could not find/i },
];

export const ACME = 'org_acme';

export const SIGNED_IN_PAGES: AppPage[] = [
  { name: 'dashboard', path: '/dashboard', ready: /Acme/ },
  { name: 'team', path: `/orgs/${ACME}/team`, ready: /Team/ },
  { name: 'bulk invite', path: `/orgs/${ACME}/team/bulk`, ready: /^Bulk invite$/ },
  { name: 'access reviews', path: `/orgs/${ACME}/access-reviews`, ready: /Access reviews/ },
  { name: 'audit', path: `/orgs/${ACME}/audit`, ready: /Audit/ },
  { name: 'settings', path: `/orgs/${ACME}/settings`, ready: /Settings/ },
  { name: 'SSO & directory', path: `/orgs/${ACME}/settings/sso`, ready: /Single sign-on & directory/ },
  { name: 'API keys', path: `/orgs/${ACME}/settings/api-keys`, ready: /API keys/ },
  { name: 'webhooks', path: `/orgs/${ACME}/settings/webhooks`, ready: /Add endpoint/ },
  { name: 'account', path: '/account', ready: /Account & sessions/ },
  {
    name: 'invitation for another address (choice page)',
    path: `/auth/invitation?login_hint=someone.else%40acme.test&organization_id=${ACME}`,
    ready: /invitation/i,
  },
];
