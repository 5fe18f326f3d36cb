import type { TestProject } from 'vitest/node';
import { createEmulator, type Emulator } from '../src/index';
import { CLIENT_ID, CLIENT_SECRET } from '../src/testing';

// One emulator for the whole run (the SDK's jest config runs files one at a time against one
// environment), with the demo seed's client as the SDK's credentials.
let emulator: Emulator | undefined;

export async function setup(project: TestProject) {
  // The demo seed's webhook endpoint is the dev app (localhost:3000): point it at the discard
  // port instead, so this run never delivers its events to a dev server that happens to be up.
  emulator = await createEmulator({ port: 0, appUrl: 'http://127.0.0.1:9' });
  project.provide('scalekitEnvironment', { url: emulator.url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
}

export async function teardown() {
  await emulator?.close();
}

declare module 'vitest' {
  export interface ProvidedContext {
    scalekitEnvironment: { url: string; clientId: string; clientSecret: string };
  }
}
