import { z } from 'zod';

/**
 * One email Teamgate sends on its own behalf (invitation emails are Scalekit's, not these): a
 * plain-text notice to one address. `key` names what it is about, so the same notice queued twice
 * or a job retried after storing it lands once (OutgoingEmail.key is unique).
 */
export const noticeSchema = z.strictObject({
  key: z.string().min(1).max(300),
  to: z.string().email().max(320),
  subject: z.string().min(1).max(300),
  text: z.string().min(1).max(20_000),
});

export type Notice = z.infer<typeof noticeSchema>;

/** Header injection is impossible with nodemailer, but a subject is one line by definition. */
export function oneLine(text: string): string {
  return text.replace(/[\r\n\u2028\u2029]+/g, ' ').trim();
}
