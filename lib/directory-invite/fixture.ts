/**
 * Test and e2e data (no test-runner imports, so the e2e stack can use it too): an organization
 * with a connected SCIM directory, added to a seed in the emulator's format (the app's mirror
 * seed reads the same file, lib/invitations/testing.ts and e2e/support/stack.ts).
 *
 * Dirco (org_dirco, addresses at dirco.test only) has its admin Dora, a member Dmitri and a
 * pending invitation of Ian; its directory (dir_dirco, Okta) has three groups:
 * - Engineering: eng01…eng20, exactly 20;
 * - Sales: sales01…sales04, plus eng01 and eng02 (also in Engineering);
 * - Operations: Dora (a member), Ian (invited), a deactivated user, a contractor at another domain,
 *   and two directory users with one address.
 * Plus "loner", in no group: 31 people. A second organization (org_nodir) has no directory.
 */

export const DIR_ORG = 'org_dirco';
export const NO_DIR_ORG = 'org_nodir';
export const DIRECTORY_ID = 'dir_dirco';
export const GROUP = { eng: 'dirgroup_eng', sales: 'dirgroup_sales', ops: 'dirgroup_ops' } as const;
export const DIR_ADMIN_EMAIL = 'dora@dirco.test';

const pad = (n: number) => String(n).padStart(2, '0');
export const engEmail = (n: number) => `eng${pad(n)}@dirco.test`;

export function addDirectoryOrg(seed: { organizations: unknown[]; users: unknown[] }): void {
  const eng = Array.from({ length: 20 }, (_, i) => ({
    id: `diruser_eng${pad(i + 1)}`,
    email: engEmail(i + 1),
    givenName: 'Engineer',
    familyName: pad(i + 1),
    groups: i < 2 ? [GROUP.eng, GROUP.sales] : [GROUP.eng],
  }));
  const sales = Array.from({ length: 4 }, (_, i) => ({
    id: `diruser_sales${pad(i + 1)}`,
    email: `sales${pad(i + 1)}@dirco.test`,
    givenName: 'Seller',
    familyName: pad(i + 1),
    groups: [GROUP.sales],
  }));
  const ops = [
    { id: 'diruser_dora', email: 'dora@dirco.test', givenName: 'Dora', familyName: 'Admin', groups: [GROUP.ops] },
    { id: 'diruser_ian', email: 'ian@dirco.test', givenName: 'Ian', familyName: 'Invited', groups: [GROUP.ops] },
    { id: 'diruser_former', email: 'former@dirco.test', givenName: 'Fay', familyName: 'Former', active: false, groups: [GROUP.ops] },
    { id: 'diruser_contractor', email: 'cass@elsewhere.test', givenName: 'Cass', familyName: 'Contractor', groups: [GROUP.ops] },
    { id: 'diruser_twin1', email: 'twin@dirco.test', givenName: 'Tia', familyName: 'Twin', groups: [GROUP.ops] },
    { id: 'diruser_twin2', email: 'Twin@dirco.test', givenName: 'Tom', familyName: 'Twin', groups: [GROUP.ops] },
  ];
  const loner = { id: 'diruser_loner', email: 'loner@dirco.test', givenName: 'Lou', familyName: 'Loner', groups: [] };
  seed.organizations.push(
    {
      id: DIR_ORG,
      name: 'Dirco',
      externalId: null,
      maxAllowedUsers: null,
      allowedEmailDomains: ['dirco.test'],
      ssoConnection: null,
      directories: [
        {
          id: DIRECTORY_ID,
          provider: 'OKTA',
          name: 'Okta',
          groups: [
            { id: GROUP.eng, displayName: 'Engineering' },
            { id: GROUP.sales, displayName: 'Sales' },
            { id: GROUP.ops, displayName: 'Operations' },
          ],
          users: [...eng, ...sales, ...ops, loner],
        },
      ],
    },
    { id: NO_DIR_ORG, name: 'No Directory Co', externalId: null, maxAllowedUsers: null, allowedEmailDomains: [], ssoConnection: null },
  );
  seed.users.push(
    {
      id: 'usr_dora',
      email: 'dora@dirco.test',
      firstName: 'Dora',
      lastName: 'Admin',
      memberships: [{ organizationId: DIR_ORG, roles: ['admin'], status: 'ACTIVE' }],
    },
    {
      id: 'usr_dmitri',
      email: 'dmitri@dirco.test',
      firstName: 'Dmitri',
      lastName: 'Member',
      memberships: [{ organizationId: DIR_ORG, roles: ['member'], status: 'ACTIVE' }],
    },
    {
      id: 'usr_ian',
      email: 'ian@dirco.test',
      firstName: 'Ian',
      lastName: 'Invited',
      memberships: [{ organizationId: DIR_ORG, roles: ['member'], status: 'PENDING_INVITE', inviterEmail: 'dora@dirco.test' }],
    },
    {
      id: 'usr_nora',
      email: 'nora@nodir.test',
      firstName: 'Nora',
      lastName: 'Nodir',
      memberships: [{ organizationId: NO_DIR_ORG, roles: ['admin'], status: 'ACTIVE' }],
    },
  );
}
