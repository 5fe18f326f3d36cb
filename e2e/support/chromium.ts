import { accessSync, constants } from 'node:fs';

/**
 * Playwright drives Debian's Chromium, not its own download: this machine (and CI) has no
 * internet beyond apt and npm, so `npx playwright install` cannot work.
 */
export const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium';

export const CHROMIUM_MISSING_MESSAGE =
  "Chromium not found. Install Debian's chromium: apt-get install -y chromium " + '(or set CHROMIUM_PATH to a Chromium/Chrome executable).';

/** A container that runs as root: no display, no GPU, and Chromium will not start its sandbox as root. */
const CONTAINER_ARGS = ['--headless', '--no-sandbox', '--disable-gpu'];

/** None of the browser's own traffic (updates, sync, background fetches), which no test asked for. */
const QUIET_ARGS = ['--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Flags for a quiet, deterministic headless browser in a container running as root. */
export const CHROMIUM_ARGS: readonly string[] = [...CONTAINER_ARGS, ...QUIET_ARGS];

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * CHROMIUM_PATH if set (and it must then exist: a typo should not silently fall back), else
 * /usr/bin/chromium, else a clear error saying what to install.
 */
export function resolveChromiumPath(
  env: Record<string, string | undefined> = process.env,
  canRun: (path: string) => boolean = isExecutable,
): string {
  const override = env.CHROMIUM_PATH?.trim();
  if (override) {
    if (canRun(override)) return override;
    throw new Error(`CHROMIUM_PATH=${override} is not an executable file. ${CHROMIUM_MISSING_MESSAGE}`);
  }
  if (canRun(DEFAULT_CHROMIUM_PATH)) return DEFAULT_CHROMIUM_PATH;
  throw new Error(CHROMIUM_MISSING_MESSAGE);
}
