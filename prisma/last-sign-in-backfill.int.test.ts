import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { migrationUnderTest, useEmptyDatabase } from '@/test/database';

// The migration that adds Membership.lastSignInAt fills it from the sign-ins the audit log already
// holds, so members who signed in before the deploy do not read as "Never".

const migration = migrationUnderTest('membership_last_sign_in');

describe(`migration ${migration.name}`, () => {
  const database = useEmptyDatabase();

  it('backfills each membership with its latest session.signed_in in that organization, and its method', async () => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      await migration.before(client);
      await client.query(`
        INSERT INTO "Organization" ("id", "name", "updatedAt") VALUES ('org_a', 'A', now()), ('org_b', 'B', now());
        INSERT INTO "User" ("id", "email", "updatedAt") VALUES ('usr_1', 'one@x.test', now()), ('usr_2', 'two@x.test', now());
        INSERT INTO "Membership" ("id", "organizationId", "userId", "email", "status", "updatedAt") VALUES
          ('m_1a', 'org_a', 'usr_1', 'one@x.test', 'ACTIVE', now()),
          ('m_1b', 'org_b', 'usr_1', 'one@x.test', 'ACTIVE', now()),
          ('m_2a', 'org_a', 'usr_2', 'two@x.test', 'ACTIVE', now());
        INSERT INTO "AuditEvent" ("id", "organizationId", "actorType", "actorId", "action", "metadata", "createdAt") VALUES
          ('e1', 'org_a', 'user', 'usr_1', 'session.signed_in', '{"authMethod":"otp"}', '2026-10-01T08:00:00Z'),
          ('e2', 'org_a', 'user', 'usr_1', 'session.signed_in', '{"authMethod":"social:github"}', '2026-11-01T08:00:00Z'),
          ('e3', 'org_b', 'user', 'usr_1', 'session.signed_in', '{"authMethod":"sso:okta"}', '2026-09-01T08:00:00Z'),
          ('e4', 'org_a', 'user', 'usr_2', 'member.role_changed', '{}', '2026-11-02T08:00:00Z');
      `);
      await migration.apply(client);
      const { rows } = await client.query<{ id: string; lastSignInAt: Date | null; lastSignInMethod: string | null }>(
        `SELECT "id", "lastSignInAt", "lastSignInMethod" FROM "Membership" ORDER BY "id"`,
      );
      expect(rows).toEqual([
        { id: 'm_1a', lastSignInAt: new Date('2026-11-01T08:00:00Z'), lastSignInMethod: 'social:github' },
        { id: 'm_1b', lastSignInAt: new Date('2026-09-01T08:00:00Z'), lastSignInMethod: 'sso:okta' },
        // Another kind of event is not a sign-in.
        { id: 'm_2a', lastSignInAt: null, lastSignInMethod: null },
      ]);
    } finally {
      await client.end();
    }
  });
});
