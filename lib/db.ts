import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '@/lib/generated/prisma/client';
import { getEnv } from '@/lib/env';

/**
 * The app's one Prisma client per process.
 *
 * It is created on first use, not at import: `next build` imports every module
 * without a runtime environment, and tests point DATABASE_URL at their own
 * database before the first query. It is kept on globalThis because `next dev`
 * re-evaluates modules on every edit, and each new client would open another
 * pool (the embedded database accepts only one connection).
 */

export interface DatabaseOptions {
  connectionString: string;
  /** Pool size (DATABASE_POOL_MAX). */
  max: number;
  /** Close a connection idle this long (pg's default: 10 s). */
  idleTimeoutMillis?: number;
}

/**
 * A pg.Pool that keeps a connection after an SQL error (a unique violation,
 * say). pg-pool's own `query` closes the connection on ANY error; against the
 * embedded database, which accepts one connection at a time, the reconnect
 * then races the closing socket and is refused. After an error response the
 * session is still usable; only a broken connection is dropped.
 */
export class SessionKeepingPool extends pg.Pool {
  // @ts-expect-error -- adapter-pg only calls the promise form; the callback overloads are not offered.
  override async query(config: string | pg.QueryConfig, values?: unknown[]): Promise<pg.QueryResult> {
    const client = await this.connect();
    const ignore = () => {};
    client.on('error', ignore);
    let broken: Error | undefined;
    try {
      return await client.query(config as pg.QueryConfig, values);
    } catch (error) {
      if (!(error instanceof pg.DatabaseError)) broken = error as Error;
      throw error;
    } finally {
      client.removeListener('error', ignore);
      client.release(broken);
    }
  }
}

export function createPrismaClient({ connectionString, max, idleTimeoutMillis }: DatabaseOptions): PrismaClient {
  const pool = new SessionKeepingPool({ connectionString, max, ...(idleTimeoutMillis ? { idleTimeoutMillis } : {}) });
  // Idle connections can be dropped by the server; the pool replaces them.
  pool.on('error', () => {});
  // The cast only drops pg.Pool's callback overloads of `query`, which adapter-pg never uses.
  return new PrismaClient({
    adapter: new PrismaPg(pool as unknown as pg.Pool, { disposeExternalPool: true }),
    // Prisma's defaults (2 s to get a connection, 5 s per transaction) expired on a busy 2-core
    // machine: a bulk write-back then left sent rows FAILED, and the seed failed. A transaction
    // here holds row locks briefly; what must never be long (the Scalekit calls) runs outside one.
    transactionOptions: { maxWait: 10_000, timeout: 30_000 },
  });
}

const globalForDb = globalThis as typeof globalThis & { __teamgatePrisma?: PrismaClient };

/** The shared client, built from DATABASE_URL and DATABASE_POOL_MAX (lib/env.ts). */
export function getDb(): PrismaClient {
  if (!globalForDb.__teamgatePrisma) {
    const env = getEnv();
    globalForDb.__teamgatePrisma = createPrismaClient({
      connectionString: env.DATABASE_URL,
      max: env.DATABASE_POOL_MAX,
      // A single-connection database (the embedded one) is shared with the
      // Prisma CLI: hand the connection back soon after each burst of queries
      // so `npm run db:migrate` can get in while the app runs.
      ...(env.DATABASE_POOL_MAX === 1 ? { idleTimeoutMillis: 1_000 } : {}),
    });
  }
  return globalForDb.__teamgatePrisma;
}

/**
 * Replace the shared client (tests point it at their own database) or, with
 * `undefined`, forget it so the next `getDb()` builds a new one. The caller
 * disconnects the client it replaced.
 */
export function setDb(client: PrismaClient | undefined): void {
  globalForDb.__teamgatePrisma = client;
}

/** Close the shared client's pool (end of a script or test run). */
export async function disconnectDb(): Promise<void> {
  const client = globalForDb.__teamgatePrisma;
  globalForDb.__teamgatePrisma = undefined;
  await client?.$disconnect();
}

/**
 * `db.user.findMany()` etc. without calling getDb() everywhere. A Proxy so the
 * client (and the env validation) is only created on first use.
 */
export const db: PrismaClient = new Proxy({} as PrismaClient, {
  get(_target, property) {
    const client = getDb();
    const value = Reflect.get(client, property, client);
    return typeof value === 'function' ? value.bind(client) : value;
  },
});

export type { PrismaClient };
