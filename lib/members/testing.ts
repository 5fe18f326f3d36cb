/**
 * Shared set-up for the team-management integration tests: a real PostgreSQL database of the
 * file's own (test/database.ts) seeded with the demo mirror, and a real emulator on a free port
 * that the real SDK talks to. Call at the top level of a test file, before anything reads the env.
 */
import { resolvePermissions } from '@/lib/auth/permissions';
import { afterAll, afterEach } from 'vitest';
import { readFileSync } from 'node:fs';
import { createEmulator, DEFAULT_SEED_PATH, type Emulator } from '@/emulator/src/index';
import type { Actor } from '@/lib/auth/actor';
import { demoSeedSchema, seedDemoData } from '@/prisma/seed';
import { useTestDatabase, type TestDatabase } from '@/test/database';

/** The demo seed file as JSON (emulator/seeds/demo.json), for tests that add people or roles to it. */
export interface DemoSeedJson {
  roles: Array<Record<string, unknown>>;
  users: Array<Record<string, unknown>>;
  organizations: Array<Record<string, unknown>>;
  [key: string]: unknown;
}

export interface TeamTestStack {
  db: TestDatabase;
  emulator: Emulator;
  /** ada@acme.test, admin of Acme */
  acmeAdmin: Actor;
  /** max@acme.test, member of Acme */
  acmeMember: Actor;
  /** gina@globex.test, admin of Globex (another organization) */
  globexAdmin: Actor;
}

export function userActor(userId: string, email: string, organizationId: string, role: 'admin' | 'member'): Actor {
  return {
    kind: 'user',
    userId,
    email,
    name: null,
    organizationId,
    role,
    permissions: resolvePermissions(role, null),
    sessionId: `test-session-${userId}`,
    request: { ip: '198.51.100.7', userAgent: 'vitest', requestId: null },
  };
}

/**
 * `webhookUrl`: where the emulator posts its events (its seed client's webhook URL); by default
 * nowhere reachable, with no retries, so tests that do not listen are not slowed down.
 */
export async function useTeamTestStack(
  options: {
    appUrl?: string;
    /** adds to the demo seed (both the emulator's and the mirror's) */ extendSeed?: (seed: DemoSeedJson) => void;
  } = {},
): Promise<TeamTestStack> {
  const seed = JSON.parse(readFileSync(DEFAULT_SEED_PATH, 'utf8')) as DemoSeedJson;
  options.extendSeed?.(seed);
  const db = await useTestDatabase();
  await seedDemoData(db.prisma, demoSeedSchema.parse(seed));
  const emulator = await createEmulator({
    port: 0,
    seed,
    appUrl: options.appUrl ?? 'http://127.0.0.1:9',
    environment: { webhookRetryDelaysMs: [] },
  });
  process.env.SCALEKIT_ENVIRONMENT_URL = emulator.url;
  // The SDK client is memoised on globalThis: forget one made for another file's emulator.
  (globalThis as { teamgateScalekit?: unknown }).teamgateScalekit = undefined;
  afterEach(async () => {
    await fetch(`${emulator.url}/_emulator/faults`, { method: 'DELETE' });
  });
  afterAll(async () => {
    await emulator.close();
  });
  return {
    db,
    emulator,
    acmeAdmin: userActor('usr_ada', 'ada@acme.test', 'org_acme', 'admin'),
    acmeMember: userActor('usr_max', 'max@acme.test', 'org_acme', 'member'),
    globexAdmin: userActor('usr_gina', 'gina@globex.test', 'org_globex', 'admin'),
  };
}

export async function injectFault(
  emulator: Emulator,
  fault: { target: string; grpcCode?: string; httpStatus?: number; delayMs?: number; count?: number },
): Promise<void> {
  const res = await fetch(`${emulator.url}/_emulator/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(fault),
  });
  if (res.status !== 201) throw new Error(`fault not accepted: ${res.status} ${await res.text()}`);
}

/** The emulator's view of an organization's memberships: { email → { roles, status } }. */
export async function scalekitMembers(
  emulator: Emulator,
  organizationId: string,
): Promise<Record<string, { roles: string[]; status: number }>> {
  const { ScalekitClient } = await import('@scalekit-sdk/node');
  const client = new ScalekitClient(emulator.url, 'skc_teamgate_dev', 'sks_teamgate_dev_only_not_a_real_secret');
  const out: Record<string, { roles: string[]; status: number }> = {};
  let pageToken: string | undefined;
  do {
    const page = await client.user.listOrganizationUsers(organizationId, { pageSize: 100, pageToken });
    for (const user of page.users) {
      const m = user.memberships.find((x) => x.organizationId === organizationId);
      if (m) out[user.email] = { roles: m.roles.map((r) => r.name), status: m.membershipStatus };
    }
    pageToken = page.nextPageToken || undefined;
  } while (pageToken);
  return out;
}
