import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll } from 'vitest';
import type { Actor } from '@/lib/auth/actor';
import type { PrismaClient } from '@/lib/db';
import { resolvePermissions } from '@/lib/auth/permissions';

/** Test-only: a real HTTP receiver for outbound webhooks, and an organization with an admin. */

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
  json: { id: string; type: string; timestamp: string; organization_id: string; data: Record<string, unknown> };
  at: number;
}

export interface Receiver {
  url: string;
  received: ReceivedWebhook[];
  /** The status (and optional delay) for the next requests, in order; then 200. */
  respondWith(...answers: Array<number | { status: number; delayMs?: number }>): void;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const received: ReceivedWebhook[] = [];
  const answers: Array<{ status: number; delayMs?: number }> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      received.push({ headers: req.headers, body, json: JSON.parse(body), at: Date.now() });
      const answer = answers.shift() ?? { status: 200 };
      const reply = () => {
        if (res.destroyed) return;
        res.writeHead(answer.status, { 'content-type': 'text/plain' }).end(answer.status < 300 ? 'ok' : `refused ${answer.status}`);
      };
      if (answer.delayMs) setTimeout(reply, answer.delayMs);
      else reply();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  const close = () =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  afterAll(close);
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    respondWith: (...list) => answers.push(...list.map((a) => (typeof a === 'number' ? { status: a } : a))),
    close,
  };
}

export function adminOf(organizationId: string, userId = 'usr_admin', email = 'admin@acme.test'): Actor {
  return {
    kind: 'user',
    userId,
    email,
    name: null,
    organizationId,
    role: 'admin',
    permissions: resolvePermissions('admin', null),
    sessionId: 'ses_test',
  };
}

export function memberOf(organizationId: string): Actor {
  return {
    ...adminOf(organizationId, 'usr_member', 'member@acme.test'),
    role: 'member',
    permissions: resolvePermissions('member', null),
  } as Actor;
}

export async function createOrganization(prisma: PrismaClient, id: string, name = id): Promise<void> {
  await prisma.organization.create({ data: { id, name } });
}
