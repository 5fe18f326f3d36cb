// Only `prisma dev` (Prisma's own local Prisma Postgres) imports this package.
// The real one needs Node 22 (it uses node:sqlite) and made `npm install` print
// an EBADENGINE warning on Node 20; Teamgate's `npm run dev` starts its own
// embedded PostgreSQL instead. package.json `overrides` points here.
const message =
  '`prisma dev` is not used by Teamgate: `npm run dev` starts an embedded PostgreSQL ' +
  '(scripts/embedded-postgres.ts). @prisma/streams-local is replaced by a stub ' +
  '(scripts/stubs/prisma-streams-local) because it needs Node 22.';

export async function startLocalDurableStreamsServer() {
  throw new Error(message);
}
