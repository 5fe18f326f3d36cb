import type PgBoss from 'pg-boss';
import { sendJob } from '@/lib/jobs/boss';
import { jobSender } from '@/lib/jobs/sender';
import { errorForLog, log } from '@/lib/log';
import { noticeSchema, type Notice } from './notice';

/**
 * lib/mail's one API: queue notices for the `mail.send` job. The caller's change is already
 * committed when this runs; the notice is a courtesy on top of it (the request itself is on the
 * Requests page and counted in the badge), so a queue that cannot be reached is logged and does
 * not undo or fail the change. Each notice is its own job: one bad address fails alone.
 */
export async function sendNotice(notices: Notice | readonly Notice[], { boss }: { boss?: PgBoss } = {}): Promise<number> {
  const list = (Array.isArray(notices) ? notices : [notices]) as readonly Notice[];
  if (list.length === 0) return 0;
  let queued = 0;
  try {
    const sender = boss ?? (await jobSender());
    for (const notice of list) {
      const data = noticeSchema.parse(notice);
      // singletonKey: the same notice queued twice while the first waits is one job.
      await sendJob(sender, 'mail.send', data, { singletonKey: data.key });
      queued++;
    }
  } catch (error) {
    log.warn({ err: errorForLog(error), queued, wanted: list.length }, 'notices could not be queued');
  }
  return queued;
}
