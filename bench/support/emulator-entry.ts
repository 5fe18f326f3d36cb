// The emulator as a bench child process: the same createEmulator as the CLI, plus an IPC channel
// so the bench can read this process's own CPU time (process.cpuUsage) around a measurement.
//
//   spawned by bench/support/emulator-process.ts with argv [seedPath]

import { createEmulator } from '../../emulator/src/index.js';

const seedPath = process.argv[2];
if (!seedPath || !process.send) throw new Error('usage: spawned with an IPC channel and a seed path');

const emulator = await createEmulator({ port: 0, seedPath });
process.on('message', (message: unknown) => {
  if (message === 'cpu') process.send!({ cpu: process.cpuUsage() });
  if (message === 'close') void emulator.close().then(() => process.exit(0));
});
process.send({ url: emulator.url });
