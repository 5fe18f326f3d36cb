import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'prisma/config';

// Prisma's CLI would download a native schema-engine binary, which this
// project's machines cannot reach. Point it at the in-repo stand-in that runs
// Prisma's own WebAssembly engine (docs/prisma-offline.md). `??=` leaves a real
// binary in place for anyone who sets the variable themselves.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= fileURLToPath(new URL('./prisma/engine/schema-engine.mjs', import.meta.url));

// Next.js reads .env.local/.env for the app; read them here too so the CLI and
// the app see the same DATABASE_URL. Variables already set win.
for (const file of ['.env.local', '.env']) {
  if (existsSync(file)) process.loadEnvFile(file);
}

// Same default as lib/env.ts: the embedded database `npm run dev` starts.
const DEV_DATABASE_URL = 'postgresql://postgres:postgres@127.0.0.1:54329/postgres';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: {
    path: 'prisma/migrations',
    seed: 'tsx prisma/seed.ts',
  },
  datasource: {
    url: process.env.DATABASE_URL || DEV_DATABASE_URL,
    // Optional; without it `migrate dev`/`migrate diff` create and drop a
    // temporary database (or an in-memory PGlite when the server is PGlite).
    shadowDatabaseUrl: process.env.SHADOW_DATABASE_URL || undefined,
  },
});
