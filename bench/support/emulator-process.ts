import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// Runs the emulator in its own process, as `npm run dev` does, so its numbers are neither
// flattered nor hurt by sharing an event loop with the client. With `pinToCore` it runs under
// `taskset -c <core>` (when taskset exists), so "per core" figures mean one core.

export interface EmulatorProcess {
  url: string;
  /** The core it is pinned to, or null when it runs unpinned. */
  core: number | null;
  /** The emulator process's own CPU time so far, in microseconds (user + system). */
  cpuMicros(): Promise<number>;
  stop(): Promise<void>;
}

const entry = fileURLToPath(new URL('./emulator-entry.ts', import.meta.url));
const root = fileURLToPath(new URL('../..', import.meta.url));

export function hasTaskset(): boolean {
  return spawnSync('taskset', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Keeps the calling process (the client) off the emulator's core; a no-op without taskset. */
export function pinSelfTo(core: number): boolean {
  if (!hasTaskset()) return false;
  return spawnSync('taskset', ['-a', '-p', '-c', String(core), String(process.pid)], { stdio: 'ignore' }).status === 0;
}

/** `nodeArgs`: e.g. ['--cpu-prof', '--cpu-prof-dir', dir] to profile the emulator under the bench. */
export async function startEmulatorProcess(
  seedPath: string,
  options: { pinToCore?: number; nodeArgs?: string[] } = {},
): Promise<EmulatorProcess> {
  const core = options.pinToCore !== undefined && hasTaskset() ? options.pinToCore : null;
  const node = [process.execPath, ...(options.nodeArgs ?? []), '--import', 'tsx', entry, seedPath];
  const [command, ...args] = core === null ? node : ['taskset', '-c', String(core), ...node];
  const child = spawn(command!, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const pending: ((cpu: number) => void)[] = [];
  const url = await new Promise<string>((resolve, reject) => {
    child.on('message', (message: { url?: string; cpu?: NodeJS.CpuUsage }) => {
      if (message.url) resolve(message.url);
      if (message.cpu) pending.shift()?.(message.cpu.user + message.cpu.system);
    });
    child.once('exit', (code) => reject(new Error(`emulator exited early (${code})`)));
  });
  return {
    url,
    core,
    cpuMicros: () =>
      new Promise<number>((resolve) => {
        pending.push(resolve);
        child.send('cpu');
      }),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.send('close');
      }),
  };
}
