import { describe, expect, it } from 'vitest';
import { orgInPath } from './page-org';

const orgs = [
  { id: 'org_acme', name: 'Acme' },
  { id: 'org_globex', name: 'Globex' },
];

describe('orgInPath', () => {
  it('headerOrg_followsUrl: names the organization of an /orgs/:orgId page the user belongs to', () => {
    expect(orgInPath('/orgs/org_globex/team', orgs)).toBe('org_globex');
    expect(orgInPath('/orgs/org_acme', orgs)).toBe('org_acme');
    expect(orgInPath('/orgs/org_acme/settings/api-keys', orgs)).toBe('org_acme');
  });

  it('ignores other pages, organizations the user is not in, and malformed ids', () => {
    expect(orgInPath('/dashboard', orgs)).toBeUndefined();
    expect(orgInPath('/orgs/org_initech/team', orgs)).toBeUndefined();
    expect(orgInPath('/orgs/%E0%A4%A/team', orgs)).toBeUndefined();
    expect(orgInPath(null, orgs)).toBeUndefined();
  });
});
