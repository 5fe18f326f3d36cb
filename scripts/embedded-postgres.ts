import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/**
 * PostgreSQL for `npm run dev` on a machine without a server: PGlite (Postgres
 * compiled to WebAssembly) in this process, reachable over the ordinary wire
 * protocol so Prisma, the CLI and psql connect to it like any server.
 *
 * PGlite runs ONE session: the socket server accepts a single connection at a
 * time, so every client of it must use a pool of 1 (DATABASE_POOL_MAX=1) and
 * clients must take turns (migrate, then seed, then the app).
 */
export interface EmbeddedPostgres {
  /** Connection string for clients (user/password are accepted but not checked). */
  url: string;
  port: number;
  /** Close the socket server, then PGlite (flushes the data directory). Safe to call twice. */
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** Where the data lives; `memory://` keeps it in memory only. */
  dataDir?: string;
  /** TCP port on 127.0.0.1; 0 picks a free one. */
  port?: number;
}

export class EmbeddedPostgresError extends Error {
  override name = 'EmbeddedPostgresError';
}

/** Fail before opening the data directory: two PGlite instances on one directory corrupt it. */
async function assertPortFree(port: number): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolvePromise, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new EmbeddedPostgresError(
              `Port ${port} is already in use, so the embedded database cannot start. Is another \`npm run dev\` running? Stop it, or set DATABASE_URL to use another PostgreSQL server.`,
            )
          : error,
      ),
    );
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolvePromise()));
  });
}

export async function startEmbeddedPostgres({
  dataDir = '.pglite',
  port = 54329,
}: EmbeddedPostgresOptions = {}): Promise<EmbeddedPostgres> {
  await assertPortFree(port);
  const inMemory = dataDir.startsWith('memory://');
  if (!inMemory) mkdirSync(resolve(dataDir), { recursive: true });
  const db = await PGlite.create(inMemory ? dataDir : resolve(dataDir));
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port, maxConnections: 1 });
  try {
    await server.start();
  } catch (error) {
    await db.close();
    throw error;
  }
  const boundPort = Number(server.getServerConn().split(':').pop());

  let stopping: Promise<void> | undefined;
  return {
    url: `postgresql://postgres:postgres@127.0.0.1:${boundPort}/postgres`,
    port: boundPort,
    stop() {
      stopping ??= (async () => {
        try {
          await server.stop();
        } finally {
          if (!db.closed) await db.close();
        }
      })();
      return stopping;
    },
  };
}
