import { disconnectDb } from '@/lib/db';
import { EnvError, getEnv } from '@/lib/env';
import { errorForLog, log } from '@/lib/log';
import { startWorker, stopOnSignals } from '@/lib/jobs/worker';

/**
 * `npm run worker`: the background-job worker for production (docs/jobs.md). Same environment as
 * the app (it validates it the same way); run one or more beside the app instances. SIGTERM or
 * Ctrl-C lets running jobs finish, then exits 0.
 */

async function main(): Promise<void> {
  getEnv();
  const worker = await startWorker();
  stopOnSignals(worker, { onStopped: disconnectDb });
}

main().catch((error: unknown) => {
  // EnvError lists the variables by name, never their values.
  if (error instanceof EnvError) console.error(error.message);
  else log.fatal({ err: errorForLog(error) }, 'job worker could not start');
  process.exit(1);
});
