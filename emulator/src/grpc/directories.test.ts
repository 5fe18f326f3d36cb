import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ScalekitBadRequestException, ScalekitNotFoundException } from '@scalekit-sdk/node';
import { DEFAULT_SEED_PATH } from '../index.js';
import { sdk, useEmulator } from '../testing.js';

// ListDirectoryUsers / ListDirectoryGroups as developer-docs openapi/scalekit.yaml documents them
// (DirectoryService_ListDirectoryUsers: page_size "Maximum value is 30. If not specified, defaults
// to 10", page_token, include_detail, directory_group_id, updated_after), against a seeded directory.

const ORG = 'org_listing';
const DIR = 'dir_listing';

function seed(): unknown {
  const base = JSON.parse(readFileSync(DEFAULT_SEED_PATH, 'utf8'));
  const users = Array.from({ length: 25 }, (_, i) => ({
    id: `diruser_u${String(i).padStart(2, '0')}`,
    email: `U${i}@listing.test`,
    givenName: 'User',
    familyName: String(i),
    active: i !== 3,
    groups: i < 12 ? ['dirgroup_a'] : i < 20 ? ['dirgroup_b'] : ['dirgroup_a', 'dirgroup_b'],
    attributes: { department: i < 12 ? 'Engineering' : 'Sales' },
  }));
  base.organizations.push({
    id: ORG,
    name: 'Listing Co',
    directories: [
      {
        id: DIR,
        provider: 'OKTA',
        groups: [
          { id: 'dirgroup_a', displayName: 'Group A' },
          { id: 'dirgroup_b', displayName: 'Group B' },
        ],
        users,
      },
    ],
  });
  return base;
}

const emu = useEmulator({ seed: seed() });

describe('DirectoryService listing RPCs', () => {
  it('pages users 10 by default and up to 30, with tokens that walk the whole list once', async () => {
    const client = sdk(emu);
    const first = await client.directory.listDirectoryUsers(ORG, DIR);
    expect(first.users).toHaveLength(10);
    expect(first.totalSize).toBe(25);
    const seen = [...first.users.map((u) => u.id)];
    let token = first.nextPageToken;
    while (token) {
      const page = await client.directory.listDirectoryUsers(ORG, DIR, { pageSize: 10, pageToken: token });
      seen.push(...page.users.map((u) => u.id));
      token = page.nextPageToken;
    }
    expect(seen).toHaveLength(25);
    expect(new Set(seen).size).toBe(25);
    const all = await client.directory.listDirectoryUsers(ORG, DIR, { pageSize: 30 });
    expect(all.users.map((u) => u.id)).toEqual(seen);
    expect(all.nextPageToken).toBe('');
    // Emails as Scalekit stores them: lower case.
    expect(all.users[0]!.email).toBe('u0@listing.test');
  });

  it('filters by directory_group_id, and each user names their groups', async () => {
    const client = sdk(emu);
    const b = await client.directory.listDirectoryUsers(ORG, DIR, { pageSize: 30, directoryGroupId: 'dirgroup_b' });
    expect(b.totalSize).toBe(13);
    expect(b.users.every((u) => u.groups.some((g) => g.id === 'dirgroup_b'))).toBe(true);
    expect(b.users.find((u) => u.id === 'diruser_u20')!.groups.map((g) => g.displayName)).toEqual(['Group A', 'Group B']);
    await expect(client.directory.listDirectoryUsers(ORG, DIR, { directoryGroupId: 'dirgroup_nope' })).rejects.toBeInstanceOf(
      ScalekitNotFoundException,
    );
    // A token belongs to its listing: group B's token does not page group A.
    const bPage = await client.directory.listDirectoryUsers(ORG, DIR, { pageSize: 5, directoryGroupId: 'dirgroup_b' });
    await expect(
      client.directory.listDirectoryUsers(ORG, DIR, { pageSize: 5, directoryGroupId: 'dirgroup_a', pageToken: bPage.nextPageToken }),
    ).rejects.toBeInstanceOf(ScalekitBadRequestException);
  });

  it('returns user_detail (SCIM attributes, active) only with include_detail', async () => {
    const client = sdk(emu);
    const plain = await client.directory.listDirectoryUsers(ORG, DIR, { pageSize: 5 });
    expect(plain.users.every((u) => u.userDetail === undefined)).toBe(true);
    const detailed = await client.directory.listDirectoryUsers(ORG, DIR, { pageSize: 5, includeDetail: true });
    expect(detailed.users[3]!.userDetail).toMatchObject({ active: false, department: 'Engineering', email: 'u3@listing.test' });
    expect(detailed.users[0]!.userDetail).toMatchObject({ active: true });
  });

  it('updated_after keeps only what changed after that time', async () => {
    const client = sdk(emu);
    const before = new Date(Date.now() - 60_000).toISOString();
    const after = new Date(Date.now() + 60_000).toISOString();
    expect((await client.directory.listDirectoryUsers(ORG, DIR, { pageSize: 30, updatedAfter: before })).totalSize).toBe(25);
    expect((await client.directory.listDirectoryUsers(ORG, DIR, { pageSize: 30, updatedAfter: after })).users).toEqual([]);
    expect((await client.directory.listDirectoryGroups(ORG, DIR, { updatedAfter: after })).groups).toEqual([]);
  });

  it('lists groups with their member counts, and refuses page sizes above 30', async () => {
    const client = sdk(emu);
    const groups = await client.directory.listDirectoryGroups(ORG, DIR);
    expect(groups.groups.map((g) => [g.displayName, g.totalUsers])).toEqual([
      ['Group A', 17],
      ['Group B', 13],
    ]);
    await expect(client.directory.listDirectoryGroups(ORG, DIR, { pageSize: 31 })).rejects.toBeInstanceOf(ScalekitBadRequestException);
    // Another organization's directory id is unknown there.
    await expect(client.directory.listDirectoryUsers('org_acme', DIR)).rejects.toBeInstanceOf(ScalekitNotFoundException);
  });
});
