/**
 * What protection costs a page under `next start`: /dashboard (middleware cookie check + the
 * data-access layer's Session-row check + content) against the same view without protection
 * (/auth/bench, served only when TEAMGATE_BENCH=1: same content queries, no session work),
 * both measured with autocannon in the same run, alternating so drift hits both alike.
 *
 *   npx tsx bench/protected-throughput.ts [--port 3109] [--duration 5] [--connections 4] [--rounds 6]
 *
 * Each round measures both pages back to back (order alternating); the reported ratio is the
 * median of the per-round ratios, which shrugs off load from other processes better than one
 * long run of each.
 *
 * Starts the e2e stack (fresh database + emulator + `next start`, building into its own dist
 * dir when stale) through e2e/support/serve.ts, signs a session cookie for a seeded admin
 * straight into that database, and stops everything at the end.
 * Target: protected ≥ 0.9× unprotected requests per second, so checking the session on every
 * request never costs enough to tempt anyone into skipping it. Exits 0 either way.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { createPrismaClient, setDb } from '../lib/db';
import { signSessionCookie } from '../lib/session/cookie';
import { deriveRefreshTokenKey, deriveSessionCookieKey } from '../lib/session/keys';
import { encryptSecret } from '../lib/session/crypto';
import { tokenContext } from '../lib/session/store';
import { numberArgs } from './support/args';

// autocannon ships no types; only what this script reads is declared.
interface AutocannonResult {
  requests: { total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
}
const autocannon = createRequire(import.meta.url)('autocannon') as (options: {
  url: string;
  connections: number;
  duration: number;
  headers: Record<string, string>;
}) => Promise<AutocannonResult>;

const {
  port: PORT,
  duration: DURATION,
  connections: CONNECTIONS,
  rounds: ROUNDS,
} = numberArgs({
  port: 3109,
  duration: 5,
  connections: 4,
  rounds: 6,
});
const BASE = `http://localhost:${PORT}`;

async function waitForServer(deadline: number): Promise<void> {
  for (;;) {
    try {
      const res = await fetch(`${BASE}/`);
      if (res.ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error('the app did not start in time');
    await new Promise((r) => setTimeout(r, 1_000));
  }
}

interface Run {
  requests: number;
  seconds: number;
  latencies: number[];
  non2xx: number;
}

async function load(path: string, cookie: string | undefined, duration: number): Promise<Run> {
  const result = await autocannon({
    url: `${BASE}${path}`,
    connections: CONNECTIONS,
    duration,
    headers: cookie ? { cookie: `tg_session=${cookie}` } : {},
  });
  return {
    requests: result.requests.total,
    seconds: duration,
    latencies: [result.latency.p50, result.latency.p99],
    non2xx: result.non2xx,
  };
}

async function main(): Promise<void> {
  // The e2e environment (lib/env defaults do not apply under NODE_ENV=production).
  process.env.E2E_PORT = String(PORT);
  const { E2E_DATABASE_NAME, E2E_SESSION_SECRET } = await import('../e2e/support/test-env');

  console.log(`starting the app on ${BASE} (builds first when stale; a build takes a minute or two)…`);
  const server = spawn(process.execPath, ['--import', 'tsx', 'e2e/support/serve.ts'], {
    env: { ...process.env, E2E_PORT: String(PORT), TEAMGATE_BENCH: '1', LOG_LEVEL: 'error' },
    stdio: ['ignore', 'ignore', 'inherit'],
    detached: true,
  });
  const stop = () => {
    if (server.exitCode === null && server.pid) process.kill(-server.pid, 'SIGTERM');
  };
  process.on('SIGINT', () => {
    stop();
    process.exit(130);
  });

  const prisma = createPrismaClient({ connectionString: `postgresql://postgres@127.0.0.1:5432/${E2E_DATABASE_NAME}`, max: 2 });
  try {
    await waitForServer(Date.now() + 5 * 60_000);
    setDb(prisma);

    // A live session for the seeded admin; the access token is fresh for the whole run, so the
    // numbers are the steady state (refresh is measured by the integration tests, not here).
    const id = `tgs_bench_${Date.now().toString(36)}`;
    const expiresAt = new Date(Date.now() + 3_600_000);
    await prisma.session.create({
      data: {
        id,
        userId: 'usr_ada',
        organizationId: 'org_acme',
        refreshTokenEnc: encryptSecret(
          'rt_bench_unused',
          await deriveRefreshTokenKey(E2E_SESSION_SECRET),
          tokenContext(id, 'refresh_token'),
        ),
        accessTokenExpiresAt: expiresAt,
        expiresAt,
        authMethod: 'otp',
      },
    });
    const cookie = await signSessionCookie(
      { sessionId: id, userId: 'usr_ada', organizationId: 'org_acme', expiresAt },
      await deriveSessionCookieKey(E2E_SESSION_SECRET),
    );

    // Both pages must really render the dashboard, or the comparison means nothing.
    for (const [path, withCookie] of [
      ['/dashboard', true],
      ['/auth/bench', false],
    ] as const) {
      const res = await fetch(`${BASE}${path}`, { headers: withCookie ? { cookie: `tg_session=${cookie}` } : {}, redirect: 'manual' });
      const html = await res.text();
      if (res.status !== 200 || !html.includes('ada@acme.test') || !html.includes('Your organization')) {
        throw new Error(`${path} did not render the dashboard (status ${res.status}); is TEAMGATE_BENCH honoured?`);
      }
    }
    const anonymous = await fetch(`${BASE}/dashboard`, { redirect: 'manual' });
    if (anonymous.status < 300 || anonymous.status >= 400) throw new Error('/dashboard is not protected');

    console.log(`warming up (8 s each), then ${ROUNDS} round(s) of ${DURATION} s per page, ${CONNECTIONS} connections`);
    await load('/dashboard', cookie, 8);
    await load('/auth/bench', undefined, 8);

    const totals = {
      protected: { requests: 0, seconds: 0, p50: [] as number[], p99: [] as number[], non2xx: 0 },
      unprotected: { requests: 0, seconds: 0, p50: [] as number[], p99: [] as number[], non2xx: 0 },
    };
    const pairRatios: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const pair: Record<string, number> = {};
      const order = round % 2 === 0 ? (['protected', 'unprotected'] as const) : (['unprotected', 'protected'] as const);
      for (const kind of order) {
        const run = kind === 'protected' ? await load('/dashboard', cookie, DURATION) : await load('/auth/bench', undefined, DURATION);
        const t = totals[kind];
        t.requests += run.requests;
        t.seconds += run.seconds;
        t.p50.push(run.latencies[0]!);
        t.p99.push(run.latencies[1]!);
        t.non2xx += run.non2xx;
        pair[kind] = run.requests / run.seconds;
      }
      pairRatios.push(pair.protected! / pair.unprotected!);
    }

    const rate = (k: 'protected' | 'unprotected') => totals[k].requests / totals[k].seconds;
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    for (const k of ['protected', 'unprotected'] as const) {
      console.log(
        `${k.padEnd(12)} ${rate(k).toFixed(1).padStart(7)} req/s   p50 ${median(totals[k].p50)} ms   p99 ${median(totals[k].p99)} ms   non-2xx ${totals[k].non2xx}`,
      );
    }
    const ratio = median(pairRatios);
    console.log(`per-round ratios: ${pairRatios.map((r) => r.toFixed(2)).join(' ')}`);
    console.log(`overall ratio ${(rate('protected') / rate('unprotected')).toFixed(3)}`);
    console.log(`ratio protected/unprotected (median of rounds) = ${ratio.toFixed(3)}  (target ≥ 0.9: ${ratio >= 0.9 ? 'PASS' : 'FAIL'})`);
    await prisma.session.delete({ where: { id } });
  } finally {
    await prisma.$disconnect();
    stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
