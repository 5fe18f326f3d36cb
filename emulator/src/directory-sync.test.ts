import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import webhooks from '../../test/contract/scalekit/webhooks.json' with { type: 'json' };
import type { Emulator } from './index.js';
import { postJson, sdk, startEmulator } from './testing.js';

// Directories changed at run time through /_emulator/directories/** (an IdP's SCIM pushes), the
// directory webhooks that follow, the drop fault, and the listing RPCs answering the current state.

interface Received {
  type: string;
  organization_id?: string;
  object: string;
  data: Record<string, unknown>;
}

async function receiver() {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Received);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

async function settle(hooks: { received: Received[] }, count: number, timeoutMs = 5000): Promise<Received[]> {
  const end = Date.now() + timeoutMs;
  while (hooks.received.length < count) {
    if (Date.now() > end) throw new Error(`expected ${count} events, got ${hooks.received.length}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  // A moment more: nothing beyond `count` may arrive.
  await new Promise((r) => setTimeout(r, 100));
  return hooks.received.filter((e) => e.type.startsWith('organization.directory.'));
}

let emu: Emulator;
let hooks: Awaited<ReturnType<typeof receiver>>;
beforeAll(async () => {
  hooks = await receiver();
  emu = await startEmulator({ appUrl: hooks.url });
});
afterAll(async () => {
  await emu.close();
  await hooks.close();
});
beforeEach(() => {
  emu.reset();
  hooks.received.length = 0;
});

const dev = (path: string, body: unknown = {}, method = 'POST') =>
  postJson<Record<string, unknown>>(`${emu.url}/_emulator/directories${path}`, body, method);

async function newDirectory(): Promise<string> {
  const created = await dev('', { organizationId: 'org_acme' });
  expect(created.status).toBe(201);
  return created.body.id as string;
}

/** The example's top-level `data` keys Scalekit documents for the type (openapi webhooks section). */
function documentedDataKeys(type: string): string[] {
  const example = (
    webhooks.webhooks as Record<string, { post: { requestBody: { content: { 'application/json': { example: { data: object } } } } } }>
  )[type]!.post.requestBody.content['application/json'].example;
  return Object.keys(example.data);
}

describe('directory users and groups pushed at run time', () => {
  it('sends the documented directory events for users, groups and group membership, with the documented data', async () => {
    const dirId = await newDirectory();
    const group = await dev(`/${dirId}/groups`, { displayName: 'Engineering' });
    expect(group.status).toBe(201);
    const user = await dev(`/${dirId}/users`, {
      email: 'Grace@Acme.test',
      givenName: 'Grace',
      familyName: 'Hopper',
      groups: ['Engineering'],
    });
    expect(user.status).toBe(201);
    const userId = user.body.id as string;
    expect(userId).toMatch(/^diruser_/);
    const admins = await dev(`/${dirId}/groups`, { displayName: 'Admins' });
    await dev(`/${dirId}/groups/${admins.body.id as string}/members`, { add: [userId] });
    await dev(`/${dirId}/users/${userId}`, { active: false }, 'PATCH');
    await dev(`/${dirId}/groups/${group.body.id as string}`, {}, 'DELETE');
    await dev(`/${dirId}/users/${userId}`, {}, 'DELETE');

    const events = await settle(hooks, 7);
    expect(events.map((e) => e.type)).toEqual([
      'organization.directory.group_created',
      'organization.directory.user_created',
      'organization.directory.group_created',
      'organization.directory.user_updated',
      'organization.directory.user_updated',
      'organization.directory.group_deleted',
      'organization.directory.user_deleted',
    ]);
    for (const e of events) expect(e.organization_id).toBe('org_acme');
    const created = events[1]!;
    expect(created.object).toBe('DirectoryUser');
    expect(created.data).toMatchObject({
      id: userId,
      organization_id: 'org_acme',
      email: 'grace@acme.test',
      active: true,
      given_name: 'Grace',
      family_name: 'Hopper',
      groups: [{ id: group.body.id, name: 'Engineering' }],
    });
    // Every key the emulator sends is one Scalekit's example has.
    for (const e of events) {
      const allowed = new Set(documentedDataKeys(e.type));
      for (const key of Object.keys(e.data)) expect(allowed, `${e.type}.${key}`).toContain(key);
    }
    // Joining a group is a user_updated listing the user's groups now.
    expect((events[3]!.data.groups as Array<{ name: string }>).map((g) => g.name)).toEqual(['Engineering', 'Admins']);
    expect(events[4]!.data.active).toBe(false);
    expect(events[5]!.data).toMatchObject({ directory_id: dirId, display_name: 'Engineering' });
    expect(events[6]!.data).toEqual({ id: userId, organization_id: 'org_acme', dp_id: userId, email: 'grace@acme.test' });
  });

  it('answers ListDirectoryUsers/Groups with the current state, pages of at most 30', async () => {
    const dirId = await newDirectory();
    const loaded = await dev(`/${dirId}/bulk`, { groups: ['Eng', 'Sales', 'Ops'], generate: { count: 50, domain: 'acme.test' } });
    expect(loaded.status).toBe(201);
    const client = sdk(emu);
    const groups = await client.directory.listDirectoryGroups('org_acme', dirId, { pageSize: 30 });
    expect(groups.groups.map((g) => [g.displayName, g.totalUsers])).toEqual([
      ['Eng', 17],
      ['Sales', 17],
      ['Ops', 16],
    ]);
    const first = await client.directory.listDirectoryUsers('org_acme', dirId, { pageSize: 30 });
    expect(first.users).toHaveLength(30);
    expect(first.totalSize).toBe(50);
    const second = await client.directory.listDirectoryUsers('org_acme', dirId, { pageSize: 30, pageToken: first.nextPageToken });
    expect(second.users).toHaveLength(20);
    expect(second.nextPageToken).toBe('');
    await expect(client.directory.listDirectoryUsers('org_acme', dirId, { pageSize: 31 })).rejects.toThrow(/page_size/);

    const victim = first.users[0]!;
    await dev(`/${dirId}/users/${victim.id}`, {}, 'DELETE');
    const after = await client.directory.listDirectoryUsers('org_acme', dirId, { pageSize: 30 });
    expect(after.totalSize).toBe(49);
    expect(after.users.map((u) => u.id)).not.toContain(victim.id);
    // 3 groups + 50 users + 1 deletion, one event each.
    expect(await settle(hooks, 54)).toHaveLength(54);
  });

  it('drops exactly the next N directory events when asked, and delivers the rest', async () => {
    const dirId = await newDirectory();
    expect((await dev('/drop-events', { count: 2 })).status).toBe(200);
    for (const name of ['a', 'b', 'c']) await dev(`/${dirId}/users`, { email: `${name}@acme.test` });
    const events = await settle(hooks, 1);
    expect(events.map((e) => e.data.email)).toEqual(['c@acme.test']);
    const counter = await fetch(`${emu.url}/_emulator/directories/drop-events`).then((r) => r.json());
    expect(counter).toEqual({ remaining: 0, dropped: 2 });
  });

  it('refuses bad input and changes nothing', async () => {
    const dirId = await newDirectory();
    expect((await dev(`/${dirId}/users`, { email: 'not-an-email' })).status).toBe(400);
    expect((await dev(`/${dirId}/users`, { email: 'x@acme.test', groups: ['No such group'] })).status).toBe(404);
    await dev(`/${dirId}/users`, { email: 'y@acme.test' });
    expect((await dev(`/${dirId}/users`, { email: 'Y@acme.test' })).status).toBe(409);
    // "Scalekit treats email as an immutable, unique identifier" (scim-provisioning.mdx).
    expect((await dev(`/${dirId}/users/y@acme.test`, { email: 'z@acme.test' }, 'PATCH')).status).toBe(400);
    expect((await dev(`/${dirId}/bulk`, { users: [{ email: 'ok@acme.test' }, { email: 'bad' }] })).status).toBe(400);
    expect((await dev('/dir_missing/users', { email: 'q@acme.test' })).status).toBe(404);
    const state = await fetch(`${emu.url}/_emulator/directories/${dirId}`).then((r) => r.json() as Promise<{ users: unknown[] }>);
    expect(state.users).toHaveLength(1);
  });
});
