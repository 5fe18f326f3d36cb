// Emulator cost of the app's bulk invite: N `user.createUserAndMembership` calls through the real
// SDK at concurrency 8 (unique emails, invitation emails on, as the app sends them) on a seeded
// organization with a seat limit, against the cheapest RPC it serves (GetOrganization of a tiny
// organization: token check, routing, protobuf, HTTP/2) measured the same way in the same run.
// The emulator runs in its own process pinned to one core (`taskset -c 0` when it exists), the
// client on the other; its webhooks go to a sink here, and each round waits for them, so their
// CPU counts. Prints calls/s, the emulator's CPU ms per call (process.cpuUsage in the emulator),
// what one core sustains (1000 / CPU ms) and the ratios to the empty round trip.
// Then a saturated phase: the same two calls, encoded with the SDK's own schemas, from a lean
// HTTP/2 client (bench/support/grpc-load.ts) at concurrency 64, so the wall-clock rate is what the
// emulator's one core serves rather than what an SDK client on the other core can send.
//
//   npx tsx bench/emulator-create-users.ts [--calls 1000] [--concurrency 8] [--rounds 3] [--min-per-core 0] [--cpu-prof dir [--cpu-prof-interval µs]]

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { create, toBinary } from '@bufbuild/protobuf';
import { ScalekitClient } from '@scalekit-sdk/node';
import { GetOrganizationRequestSchema } from '@scalekit-sdk/node/lib/pkg/grpc/scalekit/v1/organizations/organizations_pb.js';
import {
  CreateUserAndMembershipRequestSchema,
  CreateUserProfileSchema,
  CreateUserSchema,
} from '@scalekit-sdk/node/lib/pkg/grpc/scalekit/v1/users/users_pb.js';
import { clientCredentialsToken, grpcLoad } from './support/grpc-load.js';
import { pinSelfTo, startEmulatorProcess } from './support/emulator-process.js';

const { values } = parseArgs({
  options: {
    calls: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '8' },
    rounds: { type: 'string', default: '3' },
    // Exit 1 when creates per core (median) fall below this: a regression gate for CI.
    'min-per-core': { type: 'string', default: '0' },
    // Calls in each saturated phase (0: skip it).
    'saturate-calls': { type: 'string', default: '4000' },
    // Write a V8 CPU profile of the emulator into this directory.
    'cpu-prof': { type: 'string' },
    // Its sampling interval in microseconds (V8's default: 1000); finer shows the small costs.
    'cpu-prof-interval': { type: 'string' },
  },
});
const calls = Number(values.calls);
const concurrency = Number(values.concurrency);
const rounds = Number(values.rounds);
const minPerCore = Number(values['min-per-core']);
const saturateCalls = Number(values['saturate-calls']);
const SATURATE_CONCURRENCY = 64;

const ORG = 'org_bench';
const TINY_ORG = 'org_bench_empty';
// One event per create, as Scalekit documents it: user.organization_invitation (with an email) or
// user.organization_membership_created (without); one client with a webhook.
const EVENTS_PER_CREATE = 1;

let webhooksReceived = 0;
const sink = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    webhooksReceived++;
    res.writeHead(204).end();
  });
});
await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));

const root = fileURLToPath(new URL('..', import.meta.url));
const seed = JSON.parse(readFileSync(join(root, 'emulator/seeds/demo.json'), 'utf8'));
for (const client of seed.clients) client.webhook = { ...client.webhook, url: `http://127.0.0.1:${(sink.address() as AddressInfo).port}/` };
seed.environment.webhookRetryDelaysMs = [];
const org = { externalId: null, allowedEmailDomains: [], ssoConnection: null };
// A seat limit the run never reaches, so every create pays the seat check as a limited plan does.
seed.organizations.push({ ...org, id: ORG, name: 'Bench Co', maxAllowedUsers: calls * rounds * 10 });
seed.organizations.push({ ...org, id: TINY_ORG, name: 'Empty Co', maxAllowedUsers: null });
const dir = mkdtempSync(join(tmpdir(), 'emulator-create-bench-'));
const seedPath = join(dir, 'seed.json');
writeFileSync(seedPath, JSON.stringify(seed));

const pinnedClient = pinSelfTo(1);
const emulator = await startEmulatorProcess(seedPath, {
  pinToCore: 0,
  nodeArgs: values['cpu-prof']
    ? [
        '--cpu-prof',
        '--cpu-prof-dir',
        values['cpu-prof'],
        ...(values['cpu-prof-interval'] ? ['--cpu-prof-interval', values['cpu-prof-interval']] : []),
      ]
    : [],
});

async function withConcurrency(n: number, call: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) await call(next++);
    }),
  );
}

async function waitForWebhooks(expected: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (webhooksReceived < expected) {
    if (Date.now() > deadline) throw new Error(`only ${webhooksReceived} of ${expected} webhooks arrived`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

interface Measurement {
  callsPerSecond: number;
  cpuMsPerCall: number;
}

async function measure(n: number, call: (i: number) => Promise<unknown>, drain: () => Promise<void>): Promise<Measurement> {
  const cpu0 = await emulator.cpuMicros();
  const t0 = performance.now();
  await withConcurrency(n, call);
  const elapsed = performance.now() - t0;
  await drain();
  const cpu = (await emulator.cpuMicros()) - cpu0;
  return { callsPerSecond: Math.round((n / elapsed) * 1000), cpuMsPerCall: Number((cpu / n / 1000).toFixed(3)) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const runId = Date.now().toString(36);
let created = 0;

try {
  const client = new ScalekitClient(emulator.url, 'skc_teamgate_dev', 'sks_teamgate_dev_only_not_a_real_secret');
  const createOne = async (tag: string, i: number) => {
    const email = `bench.${runId}.${tag}.${i}@bench.test`;
    const { user } = await client.user.createUserAndMembership(ORG, { email, userProfile: { firstName: 'Bench', lastName: `${i}` } });
    if (user?.email !== email) throw new Error(`created ${user?.email}, asked for ${email}`);
    created++;
  };
  const emptyOne = async () => {
    const { organization } = await client.organization.getOrganization(TINY_ORG);
    if (organization?.id !== TINY_ORG) throw new Error('GetOrganization answered another organization');
  };
  const drainWebhooks = () => waitForWebhooks(created * EVENTS_PER_CREATE);

  // Warm-up: token fetch, HTTP/2 session, JIT on both paths.
  await withConcurrency(200, emptyOne);
  await withConcurrency(200, (i) => createOne('warm', i));
  await drainWebhooks();

  const perRound: { empty: Measurement; create: Measurement; organizationMembers: number }[] = [];
  for (let r = 0; r < rounds; r++) {
    const empty = await measure(calls, emptyOne, async () => undefined);
    const create = await measure(calls, (i) => createOne(`r${r}`, i), drainWebhooks);
    perRound.push({ empty, create, organizationMembers: created });
  }
  // Saturated: the emulator's core is the bottleneck, so calls/s here is what that core serves.
  const load = grpcLoad(
    emulator.url,
    await clientCredentialsToken(emulator.url, 'skc_teamgate_dev', 'sks_teamgate_dev_only_not_a_real_secret'),
  );
  const emptyBytes = toBinary(
    GetOrganizationRequestSchema,
    create(GetOrganizationRequestSchema, { identities: { case: 'id', value: TINY_ORG } }),
  );
  const createBytes = (i: number) =>
    toBinary(
      CreateUserAndMembershipRequestSchema,
      create(CreateUserAndMembershipRequestSchema, {
        organizationId: ORG,
        user: create(CreateUserSchema, {
          email: `bench.${runId}.sat.${i}@bench.test`,
          userProfile: create(CreateUserProfileSchema, { firstName: 'Bench', lastName: `${i}` }),
        }),
      }),
    );
  const saturated = async (path: string, message: (i: number) => Uint8Array, drain: () => Promise<void>) => {
    const cpu0 = await emulator.cpuMicros();
    const t0 = performance.now();
    await load.run(saturateCalls, SATURATE_CONCURRENCY, path, message);
    await drain();
    const elapsed = performance.now() - t0;
    const cpu = (await emulator.cpuMicros()) - cpu0;
    // Busy share of the emulator's core over the phase: near 1 means the core, not the client, set the pace.
    return { callsPerSecond: Math.round((saturateCalls / elapsed) * 1000), emulatorCoreBusy: Number((cpu / 1000 / elapsed).toFixed(2)) };
  };
  let saturation: { empty: unknown; create: unknown } | null = null;
  if (saturateCalls > 0) {
    const empty = await saturated(
      '/scalekit.v1.organizations.OrganizationService/GetOrganization',
      () => emptyBytes,
      async () => undefined,
    );
    const before = webhooksReceived;
    const createPhase = await saturated('/scalekit.v1.users.UserService/CreateUserAndMembership', createBytes, () =>
      waitForWebhooks(before + saturateCalls * EVENTS_PER_CREATE),
    );
    saturation = { empty, create: createPhase };
  }
  load.close();

  const emptyCpu = median(perRound.map((p) => p.empty.cpuMsPerCall));
  const createCpu = median(perRound.map((p) => p.create.cpuMsPerCall));
  const createPerCore = Math.round(1000 / createCpu);
  console.log(
    JSON.stringify(
      {
        bench: 'emulator createUserAndMembership vs empty gRPC round trip (GetOrganization), via @scalekit-sdk/node',
        calls,
        concurrency,
        rounds,
        emulatorCore: emulator.core,
        clientPinned: pinnedClient,
        perRound,
        median: {
          emptyCallsPerSecond: median(perRound.map((p) => p.empty.callsPerSecond)),
          emptyCpuMsPerCall: emptyCpu,
          createCallsPerSecond: median(perRound.map((p) => p.create.callsPerSecond)),
          createCpuMsPerCall: createCpu,
          // What one core of emulator sustains: its CPU per call is the whole cost of serving it.
          createCallsPerCore: createPerCore,
          emptyCallsPerCore: Math.round(1000 / emptyCpu),
          createCpuToEmptyCpu: Number((createCpu / emptyCpu).toFixed(2)),
        },
        // Wall clock, lean client at concurrency 64, webhooks delivered inside the timing.
        saturated: saturation,
        webhooksDelivered: webhooksReceived,
      },
      null,
      2,
    ),
  );
  if (createPerCore < minPerCore) {
    console.error(`createUserAndMembership: ${createPerCore} calls/s per core, below --min-per-core ${minPerCore}`);
    process.exitCode = 1;
  }
} finally {
  await emulator.stop();
  sink.close();
  rmSync(dir, { recursive: true, force: true });
}
