import { fileURLToPath } from 'node:url';
import type { BrowserSession, Context, LoginFlow } from './context.js';
import type { Directory } from './directory.js';
import { FaultRegistry } from './faults.js';
import { rpcPaths } from './grpc/services.js';
import { createSigningKeys } from './keys.js';
import { loadSnapshot, Persister } from './persistence.js';
import { loadSeedFile, parseSeed, withAppUrl, type EnvironmentSettings, type Seed } from './seed.js';
import { relinkMailbox } from './mailer.js';
import { startIdpServer, startServer } from './server.js';
import { State } from './state.js';
import { WebhookDispatcher } from './webhooks.js';

export type { Seed, EnvironmentSettings } from './seed.js';
export { signWebhook } from './webhooks.js';

export const DEFAULT_SEED_PATH = fileURLToPath(new URL('../seeds/demo.json', import.meta.url));

export interface EmulatorOptions {
  /** 0 = a free port (tests). */
  port?: number;
  host?: string;
  /** A parsed seed (the demo.json shape); wins over seedPath. */
  seed?: unknown;
  seedPath?: string;
  /** Keep users, invitations, sessions and mailbox in this JSON file across restarts. */
  persistPath?: string;
  /** The app under test: rewrites the seed clients' http://localhost:3000 URLs to this origin. */
  appUrl?: string;
  environment?: Partial<EnvironmentSettings>;
  /**
   * Port of the emulated identity providers' origin (Google/GitHub/Microsoft and SSO IdP pages):
   * a second origin, as against Scalekit, so a browser crosses a third origin in the login chain
   * (0 = a free port). Unset: those pages stay on the emulator's own origin.
   */
  idpPort?: number;
  /**
   * Which server answers gRPC calls: 'lean' (default) serves the unary calls the SDK makes
   * itself (grpc/unary-server.ts) and leaves the rest to connect-node; 'connect' sends every
   * call to connect-node, the reference the lean server is compared with in its tests.
   */
  grpcServer?: 'lean' | 'connect';
}

export interface Emulator {
  /** e.g. http://127.0.0.1:8787 (no trailing slash): SCALEKIT_ENVIRONMENT_URL and the token issuer. */
  url: string;
  port: number;
  /** The emulated identity providers' origin (= url without `idpPort`). */
  idpUrl: string;
  /** Back to the seed: data, mailbox, events, faults, sessions and settings overrides from `environment`. */
  reset(): void;
  close(): Promise<void>;
}

export async function createEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  let seed: Seed = options.seed !== undefined ? parseSeed(options.seed) : loadSeedFile(options.seedPath ?? DEFAULT_SEED_PATH);
  if (options.appUrl) seed = withAppUrl(seed, options.appUrl);
  const environment = options.environment ?? {};
  const state = new State(seed, environment);
  const restored = options.persistPath ? loadSnapshot(options.persistPath, state) : null;
  const keys = await createSigningKeys(restored?.signingKey);
  const webhooks = new WebhookDispatcher(state);
  const persister = options.persistPath ? new Persister(options.persistPath, state, keys.privateJwk, restored?.seeded) : null;
  const dir: Directory = { state, webhooks, changed: () => persister?.schedule() };
  const host = options.host ?? '127.0.0.1';
  let url = '';
  let idpUrl = '';
  const ctx: Context = {
    state,
    dir,
    keys,
    webhooks,
    faults: new FaultRegistry(rpcPaths()),
    issuer: () => url,
    idpUrl: () => idpUrl,
    flows: new Map<string, LoginFlow>(),
    browserSessions: new Map<string, BrowserSession>(),
    m2mTokens: new Map(),
    reset() {
      webhooks.cancelAll();
      state.load(seed, environment);
      persister?.markSeeded();
      ctx.faults.clear();
      ctx.flows.clear();
      ctx.browserSessions.clear();
      persister?.schedule();
    },
  };
  const port = options.port ?? 8787;
  const server = await startServer(ctx, host, port, { leanUnary: options.grpcServer !== 'connect' });
  const idp =
    options.idpPort === undefined
      ? null
      : await startIdpServer(ctx, host, options.idpPort).catch(async (error: unknown) => {
          await server.close();
          throw error;
        });
  const origin = (p: number) => `http://${host.includes(':') ? `[${host}]` : host}:${p}`;
  url = origin(server.port);
  idpUrl = idp ? origin(idp.port) : url;
  state.publicUrl = url;
  relinkMailbox(state);
  persister?.schedule();
  let closed = false;
  return {
    url,
    port: server.port,
    idpUrl,
    reset: () => ctx.reset(),
    async close() {
      if (closed) return;
      closed = true;
      webhooks.close();
      persister?.flush();
      await Promise.all([server.close(), idp?.close()]);
    },
  };
}
