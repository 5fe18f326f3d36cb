import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '@/test/database';
import { deliverNotice } from './deliver';

const { prisma } = await useTestDatabase();

/** The smallest SMTP server nodemailer will talk to (no TLS, no auth): it keeps each message it is given. */
function smtpSink(): Promise<{ server: Server; port: number; messages: Array<{ from: string; to: string[]; data: string }> }> {
  const messages: Array<{ from: string; to: string[]; data: string }> = [];
  const server = createServer((socket: Socket) => {
    let buffer = '';
    let inData = false;
    let current = { from: '', to: [] as string[], data: '' };
    socket.write('220 sink ESMTP\r\n');
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end < 0) return;
          current.data = buffer.slice(0, end);
          buffer = buffer.slice(end + 5);
          messages.push(current);
          current = { from: '', to: [], data: '' };
          inData = false;
          socket.write('250 queued\r\n');
          continue;
        }
        const eol = buffer.indexOf('\r\n');
        if (eol < 0) return;
        const line = buffer.slice(0, eol);
        buffer = buffer.slice(eol + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'MAIL') current.from = line;
        if (verb === 'RCPT') current.to.push(line);
        if (verb === 'DATA') inData = true;
        if (verb === 'QUIT') socket.end('221 bye\r\n');
        else socket.write(verb === 'DATA' ? '354 go ahead\r\n' : '250 ok\r\n');
      }
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as { port: number }).port, messages })),
  );
}

const sink = await smtpSink();
afterAll(() => new Promise<void>((r) => sink.server.close(() => r())));

const notice = {
  key: 'request.created:req_1:ada@acme.test',
  to: 'Ada@Acme.test',
  subject: 'Invitation request',
  text: 'Approve it: http://x/requests',
};

describe('deliverNotice', () => {
  it('without SMTP_URL stores the notice in OutgoingEmail, once per key however often the job runs', async () => {
    const env = { SMTP_URL: undefined, MAIL_FROM: 'Teamgate <no-reply@teamgate.local>' };
    expect(await deliverNotice(notice, env)).toEqual({ via: 'outbox', stored: true });
    expect(await deliverNotice(notice, env)).toEqual({ via: 'outbox', stored: false });
    const rows = await prisma.outgoingEmail.findMany({ where: { key: notice.key } });
    expect(rows).toEqual([expect.objectContaining({ to: 'ada@acme.test', subject: 'Invitation request', text: notice.text })]);
    expect(sink.messages).toHaveLength(0);
  });

  it('with SMTP_URL sends through that server with nodemailer (From: MAIL_FROM) and stores nothing', async () => {
    const env = { SMTP_URL: `smtp://127.0.0.1:${sink.port}`, MAIL_FROM: 'Teamgate <notices@example.test>' };
    const other = { ...notice, key: 'request.denied:req_2:max@acme.test', to: 'max@acme.test', subject: 'Your request was denied' };
    const delivery = await deliverNotice(other, env);
    expect(delivery.via).toBe('smtp');
    expect(sink.messages).toHaveLength(1);
    expect(sink.messages[0]!.from).toContain('notices@example.test');
    expect(sink.messages[0]!.to).toEqual([expect.stringContaining('max@acme.test')]);
    expect(sink.messages[0]!.data).toContain('Subject: Your request was denied');
    expect(sink.messages[0]!.data).toContain('Approve it: http://x/requests');
    expect(await prisma.outgoingEmail.count({ where: { key: other.key } })).toBe(0);
  });
});
