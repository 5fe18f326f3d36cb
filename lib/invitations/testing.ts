/**
 * Integration-test wiring for invitations and API keys: a real emulator on a
 * free port, a fresh PostgreSQL database seeded with the demo data plus two
 * test organizations, and the app's SDK client pointed at that emulator.
 * Test-only; nothing in the app imports it.
 */
import { resolvePermissions } from '@/lib/auth/permissions';
import { readFileSync } from 'node:fs';
import { ScalekitClient } from '@scalekit-sdk/node';
import { afterAll, expect } from 'vitest';
import { createEmulator, DEFAULT_SEED_PATH, type Emulator } from '@/emulator/src/index';
import { serveWebhookRoute } from '@/lib/webhooks/testing';
import type { Actor } from '@/lib/auth/actor';
import { AppError } from '@/lib/errors/app-error';
import type { Membership } from '@/lib/generated/prisma/client';
import { demoSeedSchema, seedDemoData } from '@/prisma/seed';
import { useTestDatabase, type TestDatabase } from '@/test/database';
import { inviteMember, type SentResult } from './service';

export const CLIENT_ID = 'skc_teamgate_dev';
export const CLIENT_SECRET = 'sks_teamgate_dev_only_not_a_real_secret';

/** No seat limit, no domain list: room for hundreds of invites. */
export const OPEN_ORG = 'org_open';
/** Three seats; one is taken by its admin. */
export const TINY_ORG = 'org_tiny';

function testSeed(): unknown {
  const seed = JSON.parse(readFileSync(DEFAULT_SEED_PATH, 'utf8'));
  seed.organizations.push(
    { id: OPEN_ORG, name: 'Open Co', externalId: null, maxAllowedUsers: null, allowedEmailDomains: [], ssoConnection: null },
    { id: TINY_ORG, name: 'Tiny Co', externalId: null, maxAllowedUsers: 3, allowedEmailDomains: [], ssoConnection: null },
  );
  seed.users.push(
    {
      id: 'usr_olga',
      email: 'olga@open.test',
      firstName: 'Olga',
      lastName: 'Open',
      memberships: [{ organizationId: OPEN_ORG, roles: ['admin'], status: 'ACTIVE' }],
    },
    {
      id: 'usr_tim',
      email: 'tim@tiny.test',
      firstName: 'Tim',
      lastName: 'Tiny',
      memberships: [{ organizationId: TINY_ORG, roles: ['admin'], status: 'ACTIVE' }],
    },
  );
  return seed;
}

/** What useInvitationTestbed gives a test file. */
export interface InvitationTestbed {
  emulator: Emulator;
  db: TestDatabase;
  /** An SDK client of the test's own, for checking what Scalekit holds. */
  scalekit: ScalekitClient;
  fault(fault: { target: string; count?: number; grpcCode?: string; httpStatus?: number; delayMs?: number }): Promise<void>;
  clearFaults(): Promise<void>;
  /** With `webhooks: true`: resolves once every event the emulator has emitted so far was delivered. */
  webhooksDelivered(): Promise<void>;
  /** Our mirror's membership rows for this email in this organization. */
  mirrorRows(orgId: string, email: string): Promise<Membership[]>;
}

/** Call at the top level of a test file, before anything reads the environment. */
export async function useInvitationTestbed({
  timeoutMs,
  webhooks = false,
  extendSeed,
}: {
  timeoutMs?: number;
  webhooks?: boolean;
  /** Adds a test file's own organizations, users or directories to the seed both sides start from. */
  extendSeed?: (seed: { organizations: unknown[]; users: unknown[] }) => void;
} = {}): Promise<InvitationTestbed> {
  const seed = testSeed();
  extendSeed?.(seed as { organizations: unknown[]; users: unknown[] });
  const appUrl = webhooks ? await serveWebhookRoute() : undefined;
  const emulator = await createEmulator({ port: 0, seed, ...(appUrl ? { appUrl } : {}), environment: { webhookRetryDelaysMs: [] } });
  process.env.SCALEKIT_ENVIRONMENT_URL = emulator.url;
  process.env.SCALEKIT_CLIENT_ID = CLIENT_ID;
  process.env.SCALEKIT_CLIENT_SECRET = CLIENT_SECRET;
  if (timeoutMs) process.env.SCALEKIT_TIMEOUT_MS = String(timeoutMs);
  // The app's SDK client lives on globalThis; a worker reused from another file may hold one.
  delete (globalThis as { teamgateScalekit?: unknown }).teamgateScalekit;
  const db = await useTestDatabase();
  await seedDemoData(db.prisma, demoSeedSchema.parse(seed));
  afterAll(async () => {
    delete (globalThis as { teamgateScalekit?: unknown }).teamgateScalekit;
    await emulator.close();
  });
  const post = async (method: string, body?: unknown) => {
    const res = await fetch(`${emulator.url}/_emulator/faults`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`emulator faults ${method}: ${res.status} ${await res.text()}`);
  };
  return {
    emulator,
    db,
    scalekit: new ScalekitClient(emulator.url, CLIENT_ID, CLIENT_SECRET),
    fault: (fault) => post('POST', fault),
    clearFaults: () => post('DELETE'),
    mirrorRows: (orgId, email) => db.prisma.membership.findMany({ where: { organizationId: orgId, email } }),
    webhooksDelivered: async () => {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const events = (await (await fetch(`${emulator.url}/_emulator/events`)).json()) as Array<{
          delivered: boolean;
          lastStatus: number | null;
          lastError: string | null;
        }>;
        // Delivered, or an attempt finished and failed (no retries in tests): either way, settled.
        if (events.every((e) => e.delivered || e.lastStatus !== null || e.lastError !== null) || Date.now() > deadline) return;
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
}

export function userActor(orgId: string, role: 'admin' | 'member', who: { userId: string; email: string }): Actor {
  return {
    kind: 'user',
    userId: who.userId,
    email: who.email,
    name: null,
    organizationId: orgId,
    role,
    permissions: resolvePermissions(role, null),
    sessionId: 'ses_test',
    request: { ip: '203.0.113.7', userAgent: 'vitest' },
  };
}

export const ada = userActor('org_acme', 'admin', { userId: 'usr_ada', email: 'ada@acme.test' });
export const max = userActor('org_acme', 'member', { userId: 'usr_max', email: 'max@acme.test' });
export const gina = userActor('org_globex', 'admin', { userId: 'usr_gina', email: 'gina@globex.test' });
export const olga = userActor(OPEN_ORG, 'admin', { userId: 'usr_olga', email: 'olga@open.test' });
export const tim = userActor(TINY_ORG, 'admin', { userId: 'usr_tim', email: 'tim@tiny.test' });

let counter = 0;
/** A fresh address per call so tests never collide. */
export function freshEmail(prefix = 'invitee', domain = 'example.test'): string {
  return `${prefix}.${Date.now().toString(36)}${(counter++).toString(36)}${Math.random().toString(36).slice(2, 6)}@${domain}`;
}

/** Every user Scalekit lists in `orgId` with this email (0 or 1 when nothing is duplicated). */
export async function scalekitMembersWithEmail(scalekit: ScalekitClient, orgId: string, email: string) {
  const res = await scalekit.user.searchOrganizationUsers(orgId, email, 100);
  return res.users.filter((u) => u.email.toLowerCase() === email.toLowerCase());
}

/** The AppError a call is refused with; fails the test when it succeeds or throws anything else. */
export async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

/**
 * inviteMember for tests that set no invitation rule: the invitation went to Scalekit (a rule's
 * hold fails the test), typed so the test can read the membership.
 */
export async function inviteSent(...args: Parameters<typeof inviteMember>): Promise<SentResult> {
  const result = await inviteMember(...args);
  if (result.outcome === 'held') throw new Error(`Unexpected hold by the invitation rule "${result.rule.description}"`);
  return result;
}
