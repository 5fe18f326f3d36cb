import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createEmulator } from '@/emulator/src/index';
import { emailsTo, sdk } from '@/emulator/src/testing';
import { resetEmulatorData } from './db-reset';

// The emulator half of `npm run db:reset` (the database half is the stock `prisma migrate
// reset` followed by the seed of prisma/seed.ts, tested in prisma/seed.int.test.ts).

const dir = mkdtempSync(join(tmpdir(), 'teamgate-db-reset-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('resetEmulatorData', () => {
  it('resets a running emulator to the seed: a removed invitee is back, with the invitation email', async () => {
    const persistPath = join(dir, 'running.json');
    const emu = await createEmulator({ port: 0, persistPath });
    try {
      await sdk(emu).user.deleteMembership('org_acme', 'usr_newhire');
      expect(await resetEmulatorData({ emulatorUrl: emu.url, statePath: persistPath })).toBe('reset-running');
      expect((await sdk(emu).user.getUser('usr_newhire')).user?.memberships.map((m) => m.organizationId)).toEqual(['org_acme']);
      expect(await emailsTo(emu, 'new.hire@acme.test')).toHaveLength(1);
    } finally {
      await emu.close();
    }
    // And what it persists is the seed again.
    const again = await createEmulator({ port: 0, persistPath });
    try {
      expect((await sdk(again).user.getUser('usr_newhire')).user?.memberships).toHaveLength(1);
    } finally {
      await again.close();
    }
  });

  it('deletes the persisted state when no emulator is running', async () => {
    const statePath = join(dir, 'stopped.json');
    writeFileSync(statePath, '{"version":1}');
    // A port that was free a moment ago: nothing listens there.
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = probe.address() as AddressInfo;
        probe.close(() => resolve(free));
      });
    });
    expect(await resetEmulatorData({ emulatorUrl: `http://127.0.0.1:${port}`, statePath })).toBe('deleted-state');
    expect(existsSync(statePath)).toBe(false);
  });
});
