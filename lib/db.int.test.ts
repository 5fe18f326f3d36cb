import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '@/test/database';
import { createPrismaClient, db, getDb, SessionKeepingPool, setDb } from './db';

const database = await useTestDatabase();

describe('lib/db', () => {
  it('shares one client per process, kept on globalThis across module reloads', () => {
    expect(getDb()).toBe(database.prisma);
    expect(getDb()).toBe(getDb());
    expect((globalThis as Record<string, unknown>).__teamgatePrisma).toBe(database.prisma);
  });

  it('lets tests swap the client that `db` forwards to', async () => {
    const other = createPrismaClient({ connectionString: database.url, max: 1 });
    try {
      setDb(other);
      expect(getDb()).toBe(other);
      expect(await db.organization.count()).toBe(0);
    } finally {
      setDb(database.prisma);
      await other.$disconnect();
    }
  });

  it('keeps the same connection after an SQL error (the embedded database allows only one)', async () => {
    const pool = new SessionKeepingPool({ connectionString: database.url, max: 1 });
    try {
      const backend = async () => (await pool.query('SELECT pg_backend_pid() AS pid')).rows[0].pid as number;
      const before = await backend();
      await expect(pool.query('SELECT * FROM no_such_table')).rejects.toThrow(/does not exist/);
      expect(await backend()).toBe(before);
    } finally {
      await pool.end();
    }
  });

  it('surfaces unique violations as Prisma errors without losing the client', async () => {
    await db.organization.create({ data: { id: 'org_x', name: 'X' } });
    await expect(db.organization.create({ data: { id: 'org_x', name: 'X again' } })).rejects.toMatchObject({ code: 'P2002' });
    expect(await db.organization.count()).toBe(1);
  });
});
