import { describe, expect, it } from 'vitest';
import { checkHealth } from '@/lib/health/check';
import { asAppError } from '@/lib/errors/respond';
import { inviteMember, listInvitations } from '@/lib/invitations/service';
import { freshEmail, olga, OPEN_ORG, scalekitMembersWithEmail, useInvitationTestbed } from '@/lib/invitations/testing';
import { withAdmin } from '@/test/database';

/**
 * Fault suite, database side: every connection of the app's pool is killed by the server
 * (pg_terminate_backend on this file's own database — what a PostgreSQL restart or failover does
 * to clients) while invitations and reads are in flight. The app must recover by itself, with no
 * restart: requests caught mid-flight get a clear generic error, later ones succeed, and a retry
 * of every failed invite ends with exactly one invitation per address.
 */

const bed = await useInvitationTestbed({ timeoutMs: 400 });
const { prisma, name } = bed.db;

async function terminateAppConnections(): Promise<number> {
  return withAdmin(async (client) => {
    const res = await client.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [name],
    );
    return res.rowCount ?? 0;
  });
}

describe('PostgreSQL connection loss during traffic', () => {
  it('fault_databaseConnectionsKilled: in-flight requests fail clearly, the pool reconnects, retries leave one invitation per address', async () => {
    const outcomes: Array<{ email: string; ok: boolean; message?: string; status?: number }> = [];
    let stop = false;
    let reads = 0;
    let readErrors = 0;
    const lanes = Array.from({ length: 6 }, async (_, lane) => {
      while (!stop) {
        const email = freshEmail(`dbloss${lane}`);
        try {
          await inviteMember(olga, OPEN_ORG, { email });
          outcomes.push({ email, ok: true });
        } catch (error) {
          const shown = asAppError(error);
          outcomes.push({ email, ok: false, message: shown.message, status: shown.status });
        }
        try {
          await listInvitations(olga, OPEN_ORG, { limit: 20 });
          reads++;
        } catch {
          readErrors++;
        }
      }
    });
    await new Promise((r) => setTimeout(r, 800));
    const killed = await terminateAppConnections();
    await new Promise((r) => setTimeout(r, 300));
    // Once more while the pool is refilling: a second restart in quick succession.
    await terminateAppConnections();
    await new Promise((r) => setTimeout(r, 1_200));
    stop = true;
    await Promise.all(lanes);
    expect(killed).toBeGreaterThan(0);

    // Recovered without a restart: the same process serves reads and health again.
    expect((await checkHealth({ db: prisma })).checks.database.ok).toBe(true);
    await expect(listInvitations(olga, OPEN_ORG, { limit: 5 })).resolves.toBeTruthy();
    const lastFive = outcomes.slice(-5);
    expect(
      lastFive.every((o) => o.ok),
      JSON.stringify(lastFive),
    ).toBe(true);

    // What a person saw for a request caught mid-flight: a clear sentence, no driver text.
    // (A busy 2-core machine can also push a Scalekit call past its 400 ms deadline: a 504 with its own sentence.)
    for (const failed of outcomes.filter((o) => !o.ok)) {
      expect([500, 504]).toContain(failed.status);
      expect(failed.message).toMatch(
        /^(Something went wrong on our side\. Nothing was changed; try again\.|Scalekit did not answer in time\. Try again; a retry will not create duplicates\.)$/,
      );
    }

    // Retry every failed address (as the person would): each ends invited exactly once.
    const failed = outcomes.filter((o) => !o.ok).map((o) => o.email);
    await Promise.all(failed.map((email) => inviteMember(olga, OPEN_ORG, { email })));
    for (const { email } of outcomes) {
      expect(await prisma.membership.count({ where: { organizationId: OPEN_ORG, email, syncState: 'SYNCED' } }), email).toBe(1);
      expect(await scalekitMembersWithEmail(bed.scalekit, OPEN_ORG, email), email).toHaveLength(1);
    }
    console.log(
      `database loss: ${outcomes.length} invites (${failed.length} caught mid-flight, all retried once), ${reads} reads (${readErrors} failed), ${killed} connections killed`,
    );
  }, 90_000);
});
