import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * `npm run db:reset`: the one way back to the demo, for both halves of it. `npm run dev` never
 * overwrites the user's data (the seed only adds), so this is where the demo comes back:
 *
 *   1. `prisma migrate reset --force`: drops everything in DATABASE_URL's database (the embedded
 *      one by default) and applies the migrations again;
 *   2. the demo seed (prisma/seed.ts) into the empty tables;
 *   3. the emulator's data: a running dev emulator (EMULATOR_PORT, 8787) is told to reset to the
 *      seed; with none running, its persisted state (.emulator-data/state.json, or
 *      EMULATOR_DATA_DIR's, as for `npm run dev`) is deleted, so the next start begins from the seed.
 *
 * Works while `npm run dev` runs (the embedded database accepts the CLI's connections).
 */

const fromRoot = (path: string) => fileURLToPath(new URL(path, new URL('..', import.meta.url)));
export const EMULATOR_STATE_PATH = join(resolve(fromRoot('.'), process.env.EMULATOR_DATA_DIR || '.emulator-data'), 'state.json');

export type EmulatorReset = 'reset-running' | 'deleted-state';

/** Step 3 on its own: reset the running emulator, or delete the state a stopped one would load. */
export async function resetEmulatorData({
  emulatorUrl,
  statePath = EMULATOR_STATE_PATH,
}: {
  emulatorUrl: string;
  statePath?: string;
}): Promise<EmulatorReset> {
  try {
    const res = await fetch(`${emulatorUrl}/_emulator/reset`, { method: 'POST', signal: AbortSignal.timeout(5_000) });
    if (res.ok) return 'reset-running';
    throw new Error(`${emulatorUrl}/_emulator/reset answered ${res.status}`);
  } catch (error) {
    // Nothing listening: no emulator is running, so its file is all there is to reset.
    const code = (error as { cause?: { code?: string } }).cause?.code;
    if (code !== 'ECONNREFUSED') throw error;
  }
  rmSync(statePath, { force: true });
  return 'deleted-state';
}

async function main(): Promise<void> {
  const reset = spawnSync(process.execPath, [fromRoot('node_modules/prisma/build/index.js'), 'migrate', 'reset', '--force'], {
    stdio: 'inherit',
  });
  if (reset.status !== 0) {
    process.exitCode = reset.status ?? 1;
    return;
  }

  const { getEnv } = await import('@/lib/env');
  const { createPrismaClient } = await import('@/lib/db');
  const { describeSeedResult, seedDemoData } = await import('@/prisma/seed');
  const env = getEnv();
  const prisma = createPrismaClient({ connectionString: env.DATABASE_URL, max: 2 });
  try {
    console.log(describeSeedResult(await seedDemoData(prisma)));
  } finally {
    await prisma.$disconnect();
  }

  const emulatorUrl = `http://127.0.0.1:${process.env.EMULATOR_PORT || 8787}`;
  const done = await resetEmulatorData({ emulatorUrl });
  console.log(
    done === 'reset-running'
      ? `Emulator at ${emulatorUrl} reset to the seed (users, invitations, mailbox).`
      : `Emulator data deleted (${EMULATOR_STATE_PATH}); it starts from the seed next time.`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
