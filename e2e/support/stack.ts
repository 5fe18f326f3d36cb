/**
 * Everything the e2e app server needs besides itself: a throw-away PostgreSQL
 * database (migrated from the template, seeded with the demo data) and a
 * Scalekit emulator seeded with the same people, with the e2e secrets and the
 * e2e app origin registered. Started by serve.ts before `next start`.
 */
import { readFileSync } from 'node:fs';
import { createEmulator, DEFAULT_SEED_PATH, type Emulator } from '../../emulator/src/index';
import { createPrismaClient } from '../../lib/db';
import { demoSeedSchema, seedDemoData } from '../../prisma/seed';
import { addDirectoryOrg } from '../../lib/directory-invite/fixture';
import { databaseUrl, migratedTemplate, withAdmin } from '../../test/database';
import { E2E_BASE_URL, E2E_CLIENT_SECRET, E2E_DATABASE_NAME, E2E_EMULATOR_PORT, E2E_IDP_PORT, E2E_WEBHOOK_SECRET } from './test-env';

export interface E2eStack {
  databaseUrl: string;
  emulatorUrl: string;
  stop(): Promise<void>;
}

/** A fresh database named for this e2e port, so parallel runs on other ports never share rows. */
async function freshDatabase(): Promise<string> {
  const template = await migratedTemplate();
  const name = E2E_DATABASE_NAME;
  await withAdmin(async (client) => {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
  });
  const url = databaseUrl(name);
  const prisma = createPrismaClient({ connectionString: url, max: 2 });
  try {
    await seedDemoData(prisma, demoSeedSchema.parse(e2eSeed()));
  } finally {
    await prisma.$disconnect();
  }
  return url;
}

/**
 * The demo seed plus Dirco, an organization with a connected directory for
 * e2e/invite-from-directory.spec.ts (lib/directory-invite/fixture.ts). Its own organization and
 * people, so inviting its directory takes none of Acme's seats other specs count.
 */
function e2eSeed(): { organizations: unknown[]; users: unknown[] } {
  const seed = JSON.parse(readFileSync(DEFAULT_SEED_PATH, 'utf8')) as { organizations: unknown[]; users: unknown[] };
  addDirectoryOrg(seed);
  return seed;
}

function e2eEmulatorSeed(): unknown {
  const seed = e2eSeed() as unknown as {
    clients: Array<{ secret: string; webhook?: { secret: string } }>;
  };
  for (const client of seed.clients) {
    client.secret = E2E_CLIENT_SECRET;
    if (client.webhook) client.webhook.secret = E2E_WEBHOOK_SECRET;
  }
  return seed;
}

export async function startE2eStack(): Promise<E2eStack> {
  const url = await freshDatabase();
  const emulator: Emulator = await createEmulator({
    port: E2E_EMULATOR_PORT,
    idpPort: E2E_IDP_PORT,
    seed: e2eEmulatorSeed(),
    appUrl: E2E_BASE_URL,
    environment: { webhookRetryDelaysMs: [200, 1000] },
  });
  return {
    databaseUrl: url,
    emulatorUrl: emulator.url,
    stop: async () => {
      await emulator.close();
    },
  };
}
