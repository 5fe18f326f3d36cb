import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { createEmulator, DEFAULT_SEED_PATH } from './index.js';

// `npx tsx emulator/src/cli.ts [--port 8787] [--seed file] [--persist file] [--app-url url]`

function fail(message: string): never {
  console.error(`scalekit-emulator: ${message}`);
  process.exit(2);
}

let args;
try {
  args = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      seed: { type: 'string' },
      persist: { type: 'string' },
      'app-url': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  }).values;
} catch (error) {
  fail((error as Error).message);
}

if (args.help) {
  console.log(
    'Usage: scalekit-emulator [--port 8787] [--host 127.0.0.1] [--seed emulator/seeds/demo.json] [--persist state.json] [--app-url http://localhost:3000]',
  );
  process.exit(0);
}

const portText = args.port ?? process.env.EMULATOR_PORT ?? '8787';
const port = Number(portText);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be a port number, got "${portText}"`);
const appUrl = args['app-url'] ?? process.env.EMULATOR_APP_URL;
if (appUrl) {
  try {
    new URL(appUrl);
  } catch {
    fail(`--app-url must be a URL, got "${appUrl}"`);
  }
}

try {
  const emulator = await createEmulator({
    port,
    host: args.host ?? process.env.EMULATOR_HOST ?? '127.0.0.1',
    seedPath: args.seed ? resolve(args.seed) : DEFAULT_SEED_PATH,
    persistPath: args.persist ? resolve(args.persist) : undefined,
    appUrl,
  });
  console.log(`Scalekit emulator listening on ${emulator.url} (mailbox: ${emulator.url}/_emulator/mailbox)`);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (error) {
  fail((error as Error).message);
}
