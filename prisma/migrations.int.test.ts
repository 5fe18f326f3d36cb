import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { useEmptyDatabase, prismaCli } from '@/test/database';

// The committed migrations, applied by the stock Prisma CLI (through the
// offline engine stand-in), must produce exactly what schema.prisma describes.

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations', import.meta.url));
const migrationNames = readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

describe('prisma/migrations', () => {
  const database = useEmptyDatabase();

  it('has a migration_lock.toml for postgresql and at least the init migration', () => {
    expect(readFileSync(join(MIGRATIONS_DIR, 'migration_lock.toml'), 'utf8')).toContain('provider = "postgresql"');
    expect(migrationNames[0]).toMatch(/^\d{14}_init$/);
  });

  it('apply to a fresh database with `prisma migrate deploy`, after which `migrate status` is clean', async () => {
    const deploy = await prismaCli(['migrate', 'deploy'], database.url);
    expect(deploy.stdout).toContain('All migrations have been successfully applied.');

    const status = await prismaCli(['migrate', 'status'], database.url);
    expect(status.stdout).toContain('Database schema is up to date!');

    const again = await prismaCli(['migrate', 'deploy'], database.url);
    expect(again.stdout).toContain('No pending migrations to apply.');
  });

  it('are recorded in _prisma_migrations with the checksum of each migration.sql', async () => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query<{
        migration_name: string;
        checksum: string;
        finished_at: Date | null;
        rolled_back_at: Date | null;
      }>('SELECT migration_name, checksum, finished_at, rolled_back_at FROM _prisma_migrations ORDER BY migration_name');
      expect(rows.map((r) => r.migration_name)).toEqual(migrationNames);
      for (const row of rows) {
        const sql = readFileSync(join(MIGRATIONS_DIR, row.migration_name, 'migration.sql'));
        expect(row.checksum).toBe(createHash('sha256').update(sql).digest('hex'));
        expect(row.finished_at).not.toBeNull();
        expect(row.rolled_back_at).toBeNull();
      }
      // The indexes the team page's keyset queries rely on exist.
      const indexes = (
        await client.query<{ indexname: string }>("SELECT indexname FROM pg_indexes WHERE tablename = 'Membership'")
      ).rows.map((r) => r.indexname);
      expect(indexes).toEqual(
        expect.arrayContaining(['Membership_organizationId_email_key', 'Membership_organizationId_createdAt_id_idx']),
      );
    } finally {
      await client.end();
    }
  });

  it('have no drift from schema.prisma (`migrate diff --from-migrations … --exit-code`)', async () => {
    // Exit code 2 (a difference) rejects, failing the test with the diff in the message.
    const diff = await prismaCli(
      ['migrate', 'diff', '--from-migrations', 'prisma/migrations', '--to-schema', 'prisma/schema.prisma', '--exit-code'],
      database.url,
    );
    expect(diff.stdout).toContain('No difference detected.');
  });
});
