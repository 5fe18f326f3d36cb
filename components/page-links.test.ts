import { describe, expect, it } from 'vitest';
import { currentHref } from '@/components/page-links';

describe('currentHref', () => {
  const tabs = [
    { href: '/orgs/org_acme/team', label: 'Team' },
    { href: '/orgs/org_acme/settings', label: 'Settings' },
    { href: '/orgs/org_acme/settings/api-keys', label: 'API keys' },
    { href: '/docs#webhooks', label: 'Webhooks' },
  ];

  it.each([
    ['/orgs/org_acme/settings/api-keys', '/orgs/org_acme/settings/api-keys'],
    ['/orgs/org_acme/settings', '/orgs/org_acme/settings'],
    ['/orgs/org_acme/team/invite', '/orgs/org_acme/team'],
  ])('the most specific link wins, for the page and the pages below it: %s marks %s', (path, current) => {
    expect(currentHref(path, tabs)).toBe(current);
  });

  it.each([
    ['/dashboard', 'a page none of the links is'],
    ['/orgs/org_acme/teams', 'a prefix that is not a path segment'],
    ['/docs', 'an anchor link'],
  ])('no mark for %s (%s)', (path) => {
    expect(currentHref(path, tabs)).toBeUndefined();
  });
});
