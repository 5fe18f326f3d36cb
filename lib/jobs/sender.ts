import type PgBoss from 'pg-boss';
import { createBoss, withSetupLock } from './boss';

/**
 * The app's one pg-boss for sending jobs (server actions, route handlers). Send-only: app
 * instances queue work and a worker (`npm run worker`, or the one inside `npm run dev`) runs it.
 * Started on first use and kept on globalThis, so Next's module reloads in dev share it instead
 * of each opening a pool.
 */

const SENDER_POOL = 2;

export function jobSender(): Promise<PgBoss> {
  const g = globalThis as { teamgateJobSender?: Promise<PgBoss> };
  g.teamgateJobSender ??= (async () => {
    const boss = createBoss({ sendOnly: true, poolSize: SENDER_POOL });
    await withSetupLock(boss, () => boss.start());
    return boss;
  })().catch((error: unknown) => {
    // Not cached: the next request tries again (the database may be back).
    delete g.teamgateJobSender;
    throw error;
  });
  return g.teamgateJobSender;
}
