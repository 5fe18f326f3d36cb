import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScalekitClient } from '@scalekit-sdk/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as auditCsv } from '@/app/api/orgs/[orgId]/audit.csv/route';
import { GET as listInvitations } from '@/app/api/invitations/route';
import { POST as webhook } from '@/app/api/webhooks/scalekit/route';
import { createEmulator, signWebhook, type Emulator } from '@/emulator/src/index';
import { createPrismaClient, setDb, type PrismaClient } from '@/lib/db';
import { appSessionCookieName, signAppSessionCookie } from '@/lib/session/cookie';
import { createSession } from '@/lib/session/store';
import { documentedEvent } from '@/lib/webhooks/testing';
import { readDemoSeed, seedDemoData } from '@/prisma/seed';
import { prismaCli } from '@/test/database';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres';

/**
 * The dev database under the load that broke the single-connection PGlite server (a member's
 * first team page a 500, ~110 "Unable to start a transaction" in a burst of webhooks): 50
 * signed-in requests and 200 webhooks at the same moment, against the embedded PostgreSQL that
 * `npm run dev` starts, with the app's own pool (10 connections, the DATABASE_POOL_MAX default).
 *
 * The requests go through the real route handlers (session cookie → guard → lib → database;
 * signed webhook → verification → mirror transaction), called in this process rather than
 * over HTTP from a `next dev` server: compiling the app for a test would take minutes on this
 * box and adds nothing to what the database has to serve.
 */

const WEBHOOK_SECRET = 'whsec_dGVhbWdhdGUtZGV2LXdlYmhvb2stc2VjcmV0LW5vdC1yZWFs';
const dataDir = mkdtempSync(join(tmpdir(), 'teamgate-pgdata-load-'));
let server: EmbeddedPostgres;
let emulator: Emulator;
let prisma: PrismaClient;
const loadUserIds: string[] = [];

beforeAll(async () => {
  server = await startEmbeddedPostgres({ dataDir, port: 0 });
  await prismaCli(['migrate', 'deploy'], server.url);
  emulator = await createEmulator({ port: 0, appUrl: 'http://127.0.0.1:9', environment: { webhookRetryDelaysMs: [] } });
  // Before anything reads getEnv() (memoised) or builds the Scalekit client.
  process.env.DATABASE_URL = server.url;
  process.env.SCALEKIT_ENVIRONMENT_URL = emulator.url;
  (globalThis as { teamgateScalekit?: unknown }).teamgateScalekit = undefined;
  prisma = createPrismaClient({ connectionString: server.url, max: 10 });
  setDb(prisma);
  await seedDemoData(prisma, readDemoSeed());
  // The people the webhooks announce exist in Scalekit, as they would: the handler reads each
  // membership from there.
  const scalekit = new ScalekitClient(emulator.url, 'skc_teamgate_dev', 'sks_teamgate_dev_only_not_a_real_secret');
  await scalekit.organization.upsertUserManagementSettings('org_acme', { maxAllowedUsers: 1000 });
  for (let i = 0; i < 200; i++) {
    const { user } = await scalekit.user.createUserAndMembership('org_acme', { email: `load-${i}@acme.test`, sendInvitationEmail: false });
    loadUserIds.push(user!.id);
  }
}, 180_000);

afterAll(async () => {
  setDb(undefined);
  await prisma?.$disconnect();
  await emulator?.close();
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function sessionCookie(userId: string, organizationId: string): Promise<string> {
  const hour = 3_600_000;
  const session = await createSession({
    userId,
    organizationId,
    refreshToken: 'rt_load_test_only',
    accessTokenExpiresAt: new Date(Date.now() + hour),
    expiresAt: new Date(Date.now() + 24 * hour),
  });
  return `${appSessionCookieName()}=${await signAppSessionCookie({ sessionId: session.id, userId, organizationId, expiresAt: session.expiresAt })}`;
}

/** The documented user.organization_membership_created for the i-th person provisioned below. */
function signedWebhook(i: number): Request {
  const event = documentedEvent('user.organization_membership_created', {
    organizationId: 'org_acme',
    userId: loadUserIds[i]!,
    email: `load-${i}@acme.test`,
  });
  const id = event.id;
  const body = JSON.stringify(event);
  const timestamp = Math.floor(Date.now() / 1000);
  return new Request('http://localhost:3000/api/webhooks/scalekit', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signWebhook(WEBHOOK_SECRET, id, timestamp, body),
    },
    body,
  });
}

describe('the embedded dev database under load', () => {
  it('serves 50 concurrent signed-in requests and 200 webhooks with no 5xx and no lost row', async () => {
    // Admins of both organizations, each with a session of their own (as 50 browsers would).
    const admins = [
      { userId: 'usr_ada', organizationId: 'org_acme' },
      { userId: 'usr_riley', organizationId: 'org_globex' },
      { userId: 'usr_gina', organizationId: 'org_globex' },
    ];
    const cookies = await Promise.all(
      Array.from({ length: 50 }, (_, i) => sessionCookie(admins[i % 3]!.userId, admins[i % 3]!.organizationId)),
    );

    const signedIn = cookies.map(async (cookie, i) => {
      const org = admins[i % 3]!.organizationId;
      const response =
        i % 2 === 0
          ? await listInvitations(new Request(`http://localhost:3000/api/invitations?organizationId=${org}`, { headers: { cookie } }))
          : await auditCsv(new Request(`http://localhost:3000/api/orgs/${org}/audit.csv`, { headers: { cookie } }), {
              params: Promise.resolve({ orgId: org }),
            });
      await response.text(); // the CSV streams: read it to the end
      return { kind: 'signed-in', status: response.status };
    });
    const webhooks = Array.from({ length: 200 }, async (_, i) => {
      const response = await webhook(signedWebhook(i));
      return { kind: 'webhook', status: response.status, body: await response.text() };
    });

    const started = Date.now();
    const results = await Promise.all([...signedIn, ...webhooks]);
    const elapsedMs = Date.now() - started;

    const byStatus = (kind: string) =>
      results
        .filter((r) => r.kind === kind)
        .reduce<Record<number, number>>((acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }), {});
    console.log(
      `250 requests in ${elapsedMs} ms; signed-in ${JSON.stringify(byStatus('signed-in'))}, webhooks ${JSON.stringify(byStatus('webhook'))}`,
    );
    expect(results.filter((r) => r.status >= 500)).toEqual([]);
    expect(byStatus('signed-in')).toEqual({ 200: 50 });
    expect(byStatus('webhook')).toEqual({ 200: 200 });
    expect(await prisma.membership.count({ where: { organizationId: 'org_acme', email: { startsWith: 'load-' } } })).toBe(200);
  }, 180_000);
});
