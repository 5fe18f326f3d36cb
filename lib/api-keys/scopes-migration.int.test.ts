import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_API_KEY_SCOPES } from '@/lib/auth/permissions';
import { migrationUnderTest, useEmptyDatabase } from '@/test/database';

// The migration that gave keys scopes must leave every existing key able to do what the
// documented API offered keys (the invitations API) and nothing more.

const migration = migrationUnderTest('api_key_scopes_expiry');

describe(`migration ${migration.name}`, () => {
  const database = useEmptyDatabase();
  let client: pg.Client;

  beforeAll(async () => {
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
    await migration.before(client);
  });
  afterAll(async () => {
    await client?.end();
  });

  it('gives existing keys invitations:read + invitations:write (what the invitations API needs) and no expiry', async () => {
    await client.query(`INSERT INTO "Organization" ("id", "name", "updatedAt") VALUES ('org_m', 'Migrated', now())`);
    await client.query(
      `INSERT INTO "ApiKey" ("id", "organizationId", "name", "prefix", "hash", "createdByUserId") VALUES ('k_live', 'org_m', 'HR sync', 'tg_live_aaaaaa', 'h1', 'usr_a')`,
    );
    await client.query(
      `INSERT INTO "ApiKey" ("id", "organizationId", "name", "prefix", "hash", "revokedAt") VALUES ('k_gone', 'org_m', 'Old', 'tg_live_bbbbbb', 'h2', now())`,
    );

    await migration.apply(client);

    const { rows } = await client.query<{ id: string; scopes: string[]; expiresAt: Date | null }>(
      `SELECT "id", "scopes", "expiresAt" FROM "ApiKey" ORDER BY "id"`,
    );
    expect(rows).toEqual([
      { id: 'k_gone', scopes: [...DEFAULT_API_KEY_SCOPES], expiresAt: null },
      { id: 'k_live', scopes: ['invitations:read', 'invitations:write'], expiresAt: null },
    ]);
    // A row written without scopes (not through createApiKey) can do nothing.
    await client.query(
      `INSERT INTO "ApiKey" ("id", "organizationId", "name", "prefix", "hash") VALUES ('k_new', 'org_m', 'Raw', 'tg_live_cccccc', 'h3')`,
    );
    expect((await client.query(`SELECT "scopes" FROM "ApiKey" WHERE "id" = 'k_new'`)).rows[0]).toEqual({ scopes: [] });
  });
});
