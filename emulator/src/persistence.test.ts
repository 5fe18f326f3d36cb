import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ScalekitNotFoundException } from '@scalekit-sdk/node';
import { DEFAULT_SEED_PATH } from './index.js';
import { emailsTo, postJson, sdk, withEmulator } from './testing.js';

// The demo as `npm run dev` starts it: the seed on the first start, the persisted state on
// every start after that (`--persist`, .emulator-data/state.json).

const seed = JSON.parse(readFileSync(DEFAULT_SEED_PATH, 'utf8'));
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function statePath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'emulator-persist-'));
  dirs.push(dir);
  return join(dir, 'state.json');
}

describe('the seeded pending invitation', () => {
  it('has its invitation email in the mailbox on the first start, naming the inviter and linking to the app', async () => {
    await withEmulator({ appUrl: 'http://localhost:3205' }, async (emu) => {
      const [email, ...more] = await emailsTo(emu, 'new.hire@acme.test');
      expect(more).toEqual([]);
      expect(email).toMatchObject({ subject: "You're invited to join Acme on Teamgate", code: null });
      expect(email!.text).toContain('ada@acme.test invited you to join Acme');
      // Scalekit's hosted invitation link, which redirects to the app's initiate-login URL with the
      // invitation parameters (developer-docs src/content/docs/fsa/guides/user-invitations.mdx).
      const link = new URL(email!.links[0]!);
      expect(`${link.origin}${link.pathname}`).toBe(`${emu.url}/invitations/accept`);
      const hop = await fetch(link, { redirect: 'manual' });
      expect(hop.status).toBe(302);
      const initiate = new URL(hop.headers.get('location')!);
      expect(`${initiate.origin}${initiate.pathname}`).toBe('http://localhost:3205/auth/login/initiate');
      expect(Object.fromEntries(initiate.searchParams)).toEqual({
        iss: emu.url,
        login_hint: 'new.hire@acme.test',
        organization_id: 'org_acme',
        invitation_token: link.searchParams.get('token'),
      });
      const forged = await fetch(`${emu.url}/invitations/accept?token=${link.searchParams.get('token')!.slice(0, -2)}xx`, {
        redirect: 'manual',
      });
      expect(forged.status).toBe(400);
      // Nobody else was "sent" anything.
      const state = (await (await fetch(`${emu.url}/_emulator/state`)).json()) as { emails: number };
      expect(state.emails).toBe(1);
    });
  });

  it('is sent once: a restart from the persisted state does not send it again', async () => {
    const persistPath = statePath();
    // The first start seeds the emulator and writes the state file.
    await withEmulator({ persistPath }, async () => {});
    await withEmulator({ persistPath }, async (second) => {
      expect(await emailsTo(second, 'new.hire@acme.test')).toHaveLength(1);
    });
  });
});

describe('restarting from the persisted state', () => {
  it('keeps removals and changes, and adds only what the seed gained since', async () => {
    const persistPath = statePath();
    await withEmulator({ persistPath }, async (first) => {
      await sdk(first).user.deleteMembership('org_acme', 'usr_max');
      await sdk(first).organization.upsertUserManagementSettings('org_acme', { maxAllowedUsers: 1000 });
    });

    const grown = structuredClone(seed);
    grown.users.push({
      id: 'usr_later',
      email: 'later@acme.test',
      firstName: 'Lee',
      memberships: [{ organizationId: 'org_acme', roles: ['member'], status: 'PENDING_INVITE', inviterEmail: 'ada@acme.test' }],
    });
    await withEmulator({ persistPath, seed: grown }, async (second) => {
      const client = sdk(second);
      // Removing Max's only membership deleted Max (Scalekit's rule, directory.ts removeMembership),
      // and the restart does not bring the seeded user back.
      await expect(client.user.getUser('usr_max')).rejects.toBeInstanceOf(ScalekitNotFoundException);
      expect((await client.organization.getOrganizationUserManagementSetting('org_acme')).settings?.maxAllowedUsers).toBe(1000);
      const later = await client.user.getUser('usr_later');
      expect(later.user?.memberships.map((m) => [m.organizationId, m.membershipStatus])).toEqual([['org_acme', 3]]); // PENDING_INVITE
      expect(await emailsTo(second, 'later@acme.test')).toHaveLength(1);
    });

    // The addition is remembered too: removed later, it stays removed.
    await withEmulator({ persistPath, seed: grown }, (third) => sdk(third).user.deleteMembership('org_acme', 'usr_later'));
    await withEmulator({ persistPath, seed: grown }, async (fourth) => {
      await expect(sdk(fourth).user.getUser('usr_later')).rejects.toBeInstanceOf(ScalekitNotFoundException);
    });
  });

  it('treats a state file written before the seed was tracked as fully seeded', async () => {
    const persistPath = statePath();
    await withEmulator({ persistPath }, (first) => sdk(first).user.deleteMembership('org_acme', 'usr_max'));
    const snapshot = JSON.parse(readFileSync(persistPath, 'utf8'));
    delete snapshot.seeded;
    writeFileSync(persistPath, JSON.stringify(snapshot));

    await withEmulator({ persistPath }, async (second) => {
      await expect(sdk(second).user.getUser('usr_max')).rejects.toBeInstanceOf(ScalekitNotFoundException);
    });
  });

  it('goes back to the seed on reset, invitation email included', async () => {
    await withEmulator({ persistPath: statePath() }, async (emu) => {
      await sdk(emu).user.deleteMembership('org_acme', 'usr_newhire');
      expect((await postJson(`${emu.url}/_emulator/reset`, {})).status).toBe(200);
      expect(await emailsTo(emu, 'new.hire@acme.test')).toHaveLength(1);
      expect((await sdk(emu).user.getUser('usr_newhire')).user?.memberships.map((m) => m.organizationId)).toEqual(['org_acme']);
    });
  });
});

describe('domains, connections and directories across a restart', () => {
  it('keeps a created domain and a deleted connection as they were', async () => {
    const persistPath = statePath();
    const created = await withEmulator({ persistPath }, async (first) => {
      const domain = (await sdk(first).domain.createDomain('org_acme', 'acme-persisted.com')).domain!;
      await sdk(first).connection.deleteConnection('org_globex', 'conn_globex_okta');
      return domain;
    });
    await withEmulator({ persistPath }, async (second) => {
      const { domain } = await sdk(second).domain.getDomain('org_acme', created.id);
      expect(domain).toMatchObject({ domain: 'acme-persisted.com', txtRecordSecret: created.txtRecordSecret });
      expect(domain!.createTime).toEqual(created.createTime);
      expect((await sdk(second).connection.listConnections('org_globex')).connections).toEqual([]);
    });
  });
});
