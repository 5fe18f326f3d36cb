/**
 * Reading a request body with a byte limit that holds while streaming.
 *
 * `request.text()`, `.json()` and `.formData()` read everything before anyone can look at the
 * size, and a chunked upload (`Transfer-Encoding: chunked`) has no Content-Length to check
 * first. So the body is read chunk by chunk with a running count, and the reader is cancelled
 * as soon as the count passes the limit: at most limit + one chunk is ever held, whatever the
 * client keeps sending. A declared Content-Length over the limit is refused before reading.
 *
 * Failures come back as a value with the status and a sentence (not thrown): some callers fall
 * back (an unreadable form is "no form"), others answer it with bodyReadErrorResponse.
 */

import { AppError } from '@/lib/errors/app-error';
import { problemJson } from '@/lib/errors/respond';

export type BodyReadFailure =
  { ok: false; status: 413; code: 'body_too_large'; message: string } | { ok: false; status: 400; code: 'invalid_body'; message: string };

export type BodyRead<T> = { ok: true; value: T } | BodyReadFailure;

/** "256 KB", "1 MB": the limit as people read it (decimal units unless the limit is a binary multiple). */
export function formatByteLimit(bytes: number): string {
  const unit = bytes % 1000 !== 0 && bytes % 1024 === 0 ? 1024 : 1000;
  if (bytes >= unit * unit) return `${+(bytes / (unit * unit)).toFixed(1)} MB`;
  if (bytes >= unit) return `${+(bytes / unit).toFixed(1)} KB`;
  return `${bytes} bytes`;
}

export function bodyTooLarge(limitBytes: number): BodyReadFailure {
  return {
    ok: false,
    status: 413,
    code: 'body_too_large',
    message: `The request body is larger than ${formatByteLimit(limitBytes)}, the most this endpoint accepts. Send a smaller body.`,
  };
}

const UNREADABLE: BodyReadFailure = { ok: false, status: 400, code: 'invalid_body', message: 'The request body could not be read.' };

async function cancelQuietly(body: ReadableStream<Uint8Array> | null, reader?: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
  try {
    if (reader) await reader.cancel();
    else if (body && !body.locked) await body.cancel();
  } catch {
    // The client may already be gone; there is nothing left to stop.
  }
}

/** The body's bytes, or a failure once more than `limitBytes` arrive (or are declared). */
export async function readBodyBytes(request: Request, limitBytes: number): Promise<BodyRead<Uint8Array>> {
  const declaredHeader = request.headers.get('content-length');
  if (declaredHeader !== null && /^\d+$/.test(declaredHeader.trim()) && Number(declaredHeader) > limitBytes) {
    await cancelQuietly(request.body);
    return bodyTooLarge(limitBytes);
  }
  const body = request.body;
  if (!body) return { ok: true, value: new Uint8Array(0) };
  if (body.locked || request.bodyUsed) return UNREADABLE;

  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      // Counted, not trusted: a Content-Length that understates the body changes nothing here.
      if (total > limitBytes) {
        await cancelQuietly(body, reader);
        return bodyTooLarge(limitBytes);
      }
      chunks.push(value);
    }
  } catch {
    await cancelQuietly(body, reader);
    return UNREADABLE;
  } finally {
    reader.releaseLock();
  }
  if (chunks.length === 1) return { ok: true, value: chunks[0]! };
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { ok: true, value: bytes };
}

/** The body as UTF-8 text (invalid sequences replaced, as `request.text()` does), limited like {@link readBodyBytes}. */
export async function readBodyText(request: Request, limitBytes: number): Promise<BodyRead<string>> {
  const read = await readBodyBytes(request, limitBytes);
  if (!read.ok) return read;
  return { ok: true, value: new TextDecoder('utf-8').decode(read.value) };
}

/**
 * A urlencoded or multipart form, limited like {@link readBodyBytes}; `value` is null when the
 * body is some other type or not a well-formed form.
 */
export async function readBodyForm(request: Request, limitBytes: number): Promise<BodyRead<FormData | null>> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(type)) {
    await cancelQuietly(request.body);
    return { ok: true, value: null };
  }
  const read = await readBodyBytes(request, limitBytes);
  if (!read.ok) return read;
  try {
    return { ok: true, value: await new Response(read.value as BodyInit, { headers: { 'content-type': type } }).formData() };
  } catch {
    return { ok: true, value: null };
  }
}

/** A failure in the app's JSON error shape, never cached. */
export function bodyReadErrorResponse(failure: BodyReadFailure, headers: Record<string, string> = {}): Response {
  return problemJson(new AppError(failure.code, failure.message), { headers });
}
