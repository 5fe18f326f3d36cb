import { createServer } from 'node:net';

/** A loopback port that is free right now: the OS picks one for a throwaway listener, which is then closed. */
export async function freePort(): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolvePromise(port));
    });
  });
}
