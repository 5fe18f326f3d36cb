import { describe, expect, it } from 'vitest';
import { currentHref } from '@/components/page-links';

describe('currentHref', () => {
  const tabs = [
    { href: '/orgs/org_acme/team', label: 'Team' },
    { href: '/orgs/org_acme/settings', label: 'Settings' },
    { href: '/orgs/org_acme/settings/api-keys', label: 'API keys' },
    { href: '/docs#webhooks', label: 'Webhooks' },
  ];

  it('the most specific link wins, for the page and the pages below it', () => {
    expect(currentHref('/orgs/org_acme/settings/api-keys', tabs)).toBe('/orgs/org_acme/settings/api-keys');
    expect(currentHref('/orgs/org_acme/settings', tabs)).toBe('/orgs/org_acme/settings');
    expect(currentHref('/orgs/org_acme/team/invite', tabs)).toBe('/orgs/org_acme/team');
  });

  it('no mark for a page none of the links is, a prefix that is not a path segment, or an anchor link', () => {
    expect(currentHref('/dashboard', tabs)).toBeUndefined();
    expect(currentHref('/orgs/org_acme/teams', tabs)).toBeUndefined();
    expect(currentHref('/docs', tabs)).toBeUndefined();
  });
});
