import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentRequestId } from '@/lib/log';
import { recordRequestIds } from './request-start';

// A plain http.Server stands in for Next.js's: the hook works for any server in the process.
let server: Server;
let origin: string;

beforeAll(async () => {
  recordRequestIds();
  recordRequestIds(); // idempotent: a second call must not add a second subscriber
  server = createServer(async (request, response) => {
    const header = request.headers['x-request-id'];
    // Work after an await and a timer, like a handler's database calls, still sees the context.
    await new Promise((resolve) => setTimeout(resolve, 5));
    const seen = await Promise.resolve().then(() => currentRequestId());
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ header, seen }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

async function call(headers: Record<string, string> = {}): Promise<{ header: string; seen: string }> {
  return (await fetch(origin, { headers })).json();
}

describe('request ids at request start', () => {
  it('requestId_context: every request gets an id in its headers and in the log context of all the work it does', async () => {
    const results = await Promise.all(Array.from({ length: 6 }, () => call()));
    for (const r of results) {
      expect(r.header).toMatch(/^[0-9a-f-]{36}$/);
      expect(r.seen).toBe(r.header);
    }
    expect(new Set(results.map((r) => r.header)).size).toBe(6);
    expect(currentRequestId()).toBeUndefined();
  });

  it('keeps a well-formed id from a proxy and replaces a bad one', async () => {
    expect(await call({ 'x-request-id': 'lb-req-0123456789' })).toEqual({ header: 'lb-req-0123456789', seen: 'lb-req-0123456789' });
    const replaced = await call({ 'x-request-id': 'bad id<script>' });
    expect(replaced.header).toMatch(/^[0-9a-f-]{36}$/);
    expect(replaced.seen).toBe(replaced.header);
  });
});
