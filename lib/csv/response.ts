import { errorForLog, log } from '@/lib/log';

/**
 * A CSV file download: streamed line by line from `lines` (so a long export never sits in
 * memory), never cached, named `fileName` (quotes and line breaks taken out of the header).
 * A failure after the first line cannot change the status any more: it is logged and the stream
 * errors, so the browser reports a failed download instead of a silently short file.
 */
export function csvDownload(lines: AsyncIterator<string>, fileName: string, context: Record<string, unknown> = {}): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await lines.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      } catch (error) {
        log.error({ err: errorForLog(error), ...context }, 'CSV export failed mid-stream');
        controller.error(error);
      }
    },
    async cancel() {
      await lines.return?.(undefined);
    },
  });
  return new Response(body, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${fileName.replace(/["\\\r\n]/g, '_')}"`,
      'Cache-Control': 'private, no-store',
    },
  });
}

/** `<prefix>-<org id>-<YYYY-MM-DD>.csv`, the org id reduced to characters safe in a file name. */
export function datedFileName(prefix: string, organizationId: string, now: Date = new Date()): string {
  return `${prefix}-${organizationId.replace(/[^A-Za-z0-9_-]/g, '')}-${now.toISOString().slice(0, 10)}.csv`;
}
