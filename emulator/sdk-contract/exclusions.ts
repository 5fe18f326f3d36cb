/**
 * The one list of vendored SDK tests that do not run against the emulator. Keys are a file
 * (`organization.test.ts`) or one test (`file › describe › … › test name`, the names as written
 * in the vendored file). The shim in shims/jest-globals.ts registers every matching test as
 * skipped and the summary reporter prints each one with its reason, so nothing is left out silently.
 */

/** Tests that need data only a real Scalekit environment has; they stay excluded. */
export const REAL_CLOUD_ONLY: Record<string, string> = {
  'actions.test.ts':
    'AgentKit: needs configured connectors (GMAIL-test, freshdesk), an ACTIVE connected account and real provider tools that exist only in a real Scalekit environment',
  'connected-accounts.test.ts':
    'AgentKit: needs configured connectors (GMAIL-test, freshdesk), an ACTIVE connected account and real provider tools that exist only in a real Scalekit environment',
  'tools.test.ts':
    'AgentKit: needs configured connectors (GMAIL-test, freshdesk), an ACTIVE connected account and real provider tools that exist only in a real Scalekit environment',
};

/**
 * Files that fail against the emulator today and whose owner has not fixed the emulator yet.
 * Temporary: each owner removes its entries as its fixes land; the final state is empty.
 */
export const PENDING: Record<string, string> = {};

export const SEPARATOR = ' › ';

export type Exclusion = { kind: 'real-cloud-only' | 'pending'; reason: string };

/** Why `file › …names` does not run, or undefined when it runs. */
export function exclusionFor(file: string, names: readonly string[]): Exclusion | undefined {
  if (process.env.SDK_CONTRACT_RUN_PENDING !== '1') {
    const pending = PENDING[file];
    if (pending !== undefined) return { kind: 'pending', reason: pending };
  }
  const whole = REAL_CLOUD_ONLY[file];
  if (whole !== undefined) return { kind: 'real-cloud-only', reason: whole };
  for (let depth = names.length; depth > 0; depth--) {
    const reason = REAL_CLOUD_ONLY[[file, ...names.slice(0, depth)].join(SEPARATOR)];
    if (reason !== undefined) return { kind: 'real-cloud-only', reason };
  }
  return undefined;
}
