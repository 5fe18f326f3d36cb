import autocannon, { type Result } from 'autocannon';
import { fullLogin } from './login-flow';
import type { LoadStack } from './app-stack';
import { formatSummary, summarize } from './stats';

/** Signed-in reads of the dashboard and the team page, interleaved, with autocannon. */
export async function mixedReads(stack: LoadStack, seconds = 10, connections = 10): Promise<{ lines: string[]; failures: string[] }> {
  const login = await fullLogin(stack.appUrl, stack.emulatorUrl, 'ada@acme.test', '198.20.0.1');
  if (!login.ok) return { lines: ['reads: login failed'], failures: [`login: ${login.error}`] };
  const session = login.browser.cookie(new URL(stack.appUrl).host, 'tg_session');
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  const result = await new Promise<Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: stack.appUrl,
        connections,
        duration: seconds,
        headers: { cookie: `tg_session=${session}`, accept: 'text/html' },
        requests: [{ path: '/dashboard' }, { path: '/orgs/org_acme/team' }],
      },
      (error, res) => (error ? reject(error) : resolve(res)),
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      latencies.push(responseTime);
      statuses.set(statusCode, (statuses.get(statusCode) ?? 0) + 1);
    });
  });
  const failures: string[] = [];
  if (result['5xx']) failures.push(`${result['5xx']} reads answered 5xx`);
  if (result.non2xx) failures.push(`${result.non2xx} reads were not 2xx (signed out or redirected?)`);
  if (result.errors || result.timeouts) failures.push(`${result.errors} connection errors, ${result.timeouts} timeouts`);
  return {
    lines: [
      `mixed reads (dashboard + team page, signed in), ${connections} connections for ${seconds} s: ${result.requests.total} requests, ${result.requests.average.toFixed(0)} req/s`,
      `  ${formatSummary('latency', summarize(latencies))}`,
      `  statuses: ${[...statuses.entries()]
        .sort()
        .map(([s, c]) => `${s}×${c}`)
        .join(', ')}; errors ${result.errors}, timeouts ${result.timeouts}`,
    ],
    failures,
  };
}
