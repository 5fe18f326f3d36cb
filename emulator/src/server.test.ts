import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http2 from 'node:http2';
import net from 'node:net';
import type { Emulator } from './index.js';
import { startEmulator } from './testing.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu.close());

describe('protocol sniffing on the shared port', () => {
  it('serves HTTP/2 when the preface arrives split across TCP segments', async () => {
    const { port } = new URL(emu.url);
    const socket = net.connect(Number(port), '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    socket.setNoDelay(true);
    // The first write (the client preface) goes out in two pieces with a pause between, so the
    // sniffer must wait for the rest before handing the socket to the HTTP/2 server.
    const write = socket.write.bind(socket) as (chunk: Buffer) => boolean;
    let first = true;
    socket.write = ((chunk: Buffer, ...rest: unknown[]) => {
      if (!first) return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
      first = false;
      write(chunk.subarray(0, 7));
      setTimeout(() => (write as (...a: unknown[]) => boolean)(chunk.subarray(7), ...rest), 30);
      return true;
    }) as typeof socket.write;
    const session = http2.connect(emu.url, { createConnection: () => socket });
    const body = await new Promise<string>((resolve, reject) => {
      const req = session.request({ ':path': '/health' });
      let text = '';
      req.setEncoding('utf8');
      req.on('data', (d: string) => (text += d));
      req.on('end', () => resolve(text));
      req.on('error', reject);
    });
    session.close();
    expect(JSON.parse(body)).toMatchObject({ status: 'ok', issuer: emu.url });
  });
});
