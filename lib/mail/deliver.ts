import nodemailer, { type Transporter } from 'nodemailer';
import { db } from '@/lib/db';
import { getEnv, type Env } from '@/lib/env';
import type { Notice } from './notice';

/**
 * The worker half of lib/mail: one notice out, run by the `mail.send` job (lib/jobs/registry.ts).
 *
 * With SMTP_URL set it goes through that server with nodemailer. Without it (dev, tests, e2e)
 * nothing leaves the machine: the notice is stored in OutgoingEmail, where tests and developers
 * read it. The stored copy is keyed by the notice's key, so a retried job stores it once; over
 * SMTP a retry after a send whose answer was lost can deliver twice, which is how every SMTP
 * client behaves and is harmless for a notice.
 */

export type Delivery = { via: 'smtp'; messageId: string } | { via: 'outbox'; stored: boolean };

let transport: { url: string; transporter: Transporter } | undefined;

function smtpTransport(url: string): Transporter {
  // One pool per process and URL: opening an SMTP connection per notice is slow and frowned upon.
  if (transport?.url !== url) transport = { url, transporter: nodemailer.createTransport(url) };
  return transport.transporter;
}

export async function deliverNotice(notice: Notice, env: Pick<Env, 'SMTP_URL' | 'MAIL_FROM'> = getEnv()): Promise<Delivery> {
  if (env.SMTP_URL) {
    const info = await smtpTransport(env.SMTP_URL).sendMail({
      from: env.MAIL_FROM,
      to: notice.to,
      subject: notice.subject,
      text: notice.text,
    });
    return { via: 'smtp', messageId: String(info.messageId ?? '') };
  }
  const { count } = await db.outgoingEmail.createMany({
    data: [{ key: notice.key, to: notice.to.toLowerCase(), subject: notice.subject, text: notice.text }],
    skipDuplicates: true,
  });
  return { via: 'outbox', stored: count === 1 };
}
