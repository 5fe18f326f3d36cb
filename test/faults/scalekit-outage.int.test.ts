import { SCALEKIT_PERMISSIONS } from '@/lib/auth/permissions';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createEmulator, DEFAULT_SEED_PATH, type Emulator } from '@/emulator/src/index';
import type { Actor } from '@/lib/auth/actor';
import { checkHealth } from '@/lib/health/check';
import { ScalekitCallError } from '@/lib/scalekit/errors';
import { asAppError } from '@/lib/errors/respond';
import { inviteMember } from '@/lib/invitations/service';
import { demoSeedSchema, seedDemoData } from '@/prisma/seed';
import { useTestDatabase } from '@/test/database';
import { ScalekitClient } from '@scalekit-sdk/node';

/**
 * Fault suite, Scalekit side: the emulator process stopped outright (connection refused, not a
 * polite error) and started again on the same address, and an INTERNAL (500-class) answer. The
 * app must say so clearly, keep no half-made invitation, and work again as soon as Scalekit is
 * back, without restarting (the SDK's HTTP/2 session has to reconnect by itself).
 * Other Scalekit faults are proven where they live; docs/security.md lists them.
 */

const ORG = 'org_faults';
const CLIENT_SECRET = 'sks_teamgate_dev_only_not_a_real_secret';
const seed = JSON.parse(readFileSync(DEFAULT_SEED_PATH, 'utf8'));
seed.organizations.push({
  id: ORG,
  name: 'Faults Co',
  externalId: null,
  maxAllowedUsers: null,
  allowedEmailDomains: [],
  ssoConnection: null,
});
seed.users.push({
  id: 'usr_fay',
  email: 'fay@faults.test',
  firstName: 'Fay',
  lastName: 'Faults',
  memberships: [{ organizationId: ORG, roles: ['admin'], status: 'ACTIVE' }],
});

let emulator: Emulator = await createEmulator({ port: 0, seed, environment: { webhookRetryDelaysMs: [] } });
const port = Number(new URL(emulator.url).port);
process.env.SCALEKIT_ENVIRONMENT_URL = emulator.url;
process.env.SCALEKIT_CLIENT_ID = 'skc_teamgate_dev';
process.env.SCALEKIT_CLIENT_SECRET = CLIENT_SECRET;
process.env.SCALEKIT_TIMEOUT_MS = '1000';
delete (globalThis as { teamgateScalekit?: unknown }).teamgateScalekit;
const { prisma } = await useTestDatabase();
await seedDemoData(prisma, demoSeedSchema.parse(seed));

const fay: Actor = {
  kind: 'user',
  userId: 'usr_fay',
  email: 'fay@faults.test',
  name: null,
  organizationId: ORG,
  role: 'admin',
  permissions: SCALEKIT_PERMISSIONS,
  sessionId: 'ses_faults',
};
let n = 0;
const fresh = () => `fault-${Date.now().toString(36)}-${n++}@faults.test`;
const inScalekit = async (email: string) =>
  (await new ScalekitClient(emulator.url, 'skc_teamgate_dev', CLIENT_SECRET).user.searchOrganizationUsers(ORG, email, 10)).users.filter(
    (u) => u.email === email,
  );

describe('Scalekit faults', () => {
  it('fault_emulatorStopped: invites fail with a clear 503 and leave nothing behind; after a restart they work again, once', async () => {
    // Warm the SDK (token + HTTP/2 session) as in a running app.
    expect((await inviteMember(fay, ORG, { email: fresh() })).outcome).toBe('invited');
    await emulator.close();

    const email = fresh();
    const error = await inviteMember(fay, ORG, { email }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScalekitCallError);
    const shown = asAppError(error);
    expect(shown).toMatchObject({ status: 503, code: 'scalekit_unavailable', retryable: true });
    expect(shown.message).toMatch(/Scalekit (is unavailable|cannot be reached) right now\. Nothing was changed/);
    expect(await prisma.membership.count({ where: { email } })).toBe(0);
    const health = await checkHealth({ timeoutMs: 1_000 });
    expect(health).toMatchObject({ status: 'degraded', checks: { database: { ok: true }, scalekit: { ok: false } } });

    emulator = await createEmulator({ port, seed, environment: { webhookRetryDelaysMs: [] } });
    expect((await checkHealth()).status).toBe('ok');
    expect((await inviteMember(fay, ORG, { email })).outcome).toBe('invited');
    expect(await inScalekit(email)).toHaveLength(1);
    expect(await prisma.membership.count({ where: { email, syncState: 'SYNCED' } })).toBe(1);
  }, 60_000);

  it('fault_scalekit500: an INTERNAL error is a clear 502, the row is kept as FAILED (Scalekit may have acted), and the retry reconciles to one invitation', async () => {
    const email = fresh();
    await fetch(`${emulator.url}/_emulator/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ target: 'CreateUserAndMembership', grpcCode: 'INTERNAL' }),
    });
    const error = await inviteMember(fay, ORG, { email }).catch((e: unknown) => e);
    expect(asAppError(error)).toMatchObject({
      status: 502,
      code: 'scalekit_error',
      message: expect.stringMatching(/unexpected error\. Try again/),
    });
    expect(await prisma.membership.findMany({ where: { email } })).toMatchObject([{ syncState: 'FAILED' }]);

    expect((await inviteMember(fay, ORG, { email })).outcome).toBe('invited');
    expect(await inScalekit(email)).toHaveLength(1);
    expect(await prisma.membership.count({ where: { email } })).toBe(1);
    await emulator.close();
  });
});
