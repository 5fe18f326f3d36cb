import { describe, expect, it } from 'vitest';
import { bodyReadErrorResponse, formatByteLimit, readBodyBytes, readBodyForm, readBodyText } from './read-body';

const MB = 1024 * 1024;
const CHUNK = 64 * 1024;
const LIMIT = 256 * 1024;

/**
 * A body of `total` bytes made only when pulled (highWaterMark 0: nothing is read ahead), with
 * a count of what was pulled, so a test can tell "stopped at the limit" from "read it all".
 */
function lazyBody(total: number, chunk = CHUNK) {
  const counter = { pulledBytes: 0, pulls: 0, cancelled: false };
  const piece = new Uint8Array(chunk).fill(0x61);
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        const left = total - counter.pulledBytes;
        if (left <= 0) return controller.close();
        const next = left >= chunk ? piece : piece.subarray(0, left);
        counter.pulls++;
        counter.pulledBytes += next.byteLength;
        controller.enqueue(next);
      },
      cancel() {
        counter.cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, counter };
}

function post(body: BodyInit | null, headers: Record<string, string> = {}): Request {
  return new Request('http://localhost/upload', { method: 'POST', body, headers, duplex: 'half' } as RequestInit);
}

describe('readBodyText', () => {
  it('refuses a lazily generated 128 MB chunked body with 413 after pulling at most limit + one chunk, and cancels it', async () => {
    const { stream, counter } = lazyBody(128 * MB);
    const read = await readBodyText(post(stream, { 'content-type': 'application/json' }), LIMIT);
    expect(read).toMatchObject({ ok: false, status: 413, code: 'body_too_large' });
    expect(counter.pulledBytes).toBeGreaterThan(LIMIT);
    expect(counter.pulledBytes).toBeLessThanOrEqual(LIMIT + CHUNK);
    expect(counter.pulls).toBeLessThanOrEqual(LIMIT / CHUNK + 1);
    expect(counter.cancelled).toBe(true);
  });

  it('refuses a declared Content-Length over the limit before pulling anything', async () => {
    const { stream, counter } = lazyBody(128 * MB);
    const read = await readBodyText(post(stream, { 'content-type': 'application/json', 'content-length': String(128 * MB) }), LIMIT);
    expect(read).toMatchObject({ ok: false, status: 413, code: 'body_too_large' });
    expect(counter.pulledBytes).toBe(0);
  });

  it('counts bytes rather than trusting a Content-Length that understates the body', async () => {
    const { stream, counter } = lazyBody(128 * MB);
    const read = await readBodyText(post(stream, { 'content-type': 'application/json', 'content-length': '100' }), LIMIT);
    expect(read).toMatchObject({ ok: false, status: 413 });
    expect(counter.pulledBytes).toBeLessThanOrEqual(LIMIT + CHUNK);
  });

  it('accepts a body of exactly the limit, refuses one byte more', async () => {
    const exact = await readBodyText(post(lazyBody(LIMIT, 1000).stream), LIMIT);
    expect(exact.ok && exact.value.length).toBe(LIMIT);
    expect(await readBodyText(post(lazyBody(LIMIT + 1, 1000).stream), LIMIT)).toMatchObject({ ok: false, status: 413 });
  });

  it('decodes UTF-8 split across chunks, and reads an empty or missing body as empty', async () => {
    const bytes = new TextEncoder().encode('{"name":"Zoë ☃ 𝄞"}');
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const b of bytes) controller.enqueue(new Uint8Array([b]));
        controller.close();
      },
    });
    expect(await readBodyText(post(stream), 1000)).toEqual({ ok: true, value: '{"name":"Zoë ☃ 𝄞"}' });
    expect(await readBodyText(post(null), 10)).toEqual({ ok: true, value: '' });
    expect(await readBodyText(new Request('http://localhost/'), 10)).toEqual({ ok: true, value: '' });
  });

  it('answers 400 when the stream fails mid-way, and when the body was already read', async () => {
    let sent = false;
    const broken = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent) return controller.error(new Error('connection reset'));
        sent = true;
        controller.enqueue(new Uint8Array([1, 2, 3]));
      },
    });
    expect(await readBodyText(post(broken), LIMIT)).toMatchObject({ ok: false, status: 400, code: 'invalid_body' });
    const used = post('{}');
    await used.text();
    expect(await readBodyText(used, LIMIT)).toMatchObject({ ok: false, status: 400 });
  });
});

describe('readBodyBytes', () => {
  it('returns the exact bytes of a multi-chunk body', async () => {
    const read = await readBodyBytes(post(lazyBody(3 * CHUNK + 5).stream), LIMIT);
    expect(read.ok && read.value.byteLength).toBe(3 * CHUNK + 5);
  });
});

describe('readBodyForm', () => {
  it('parses urlencoded and multipart forms, and gives null for other types or a broken form', async () => {
    const urlencoded = await readBodyForm(
      post('csrf_token=abc&continue=invitation', { 'content-type': 'application/x-www-form-urlencoded' }),
      LIMIT,
    );
    expect(urlencoded.ok && urlencoded.value?.get('csrf_token')).toBe('abc');
    const form = new FormData();
    form.set('organizationId', 'org_acme');
    const multipartRequest = new Request('http://localhost/', { method: 'POST', body: form });
    const multipart = await readBodyForm(multipartRequest, LIMIT);
    expect(multipart.ok && multipart.value?.get('organizationId')).toBe('org_acme');
    expect(await readBodyForm(post('{}', { 'content-type': 'application/json' }), LIMIT)).toEqual({ ok: true, value: null });
    expect(await readBodyForm(post('--x\r\nbroken', { 'content-type': 'multipart/form-data; boundary=x' }), LIMIT)).toEqual({
      ok: true,
      value: null,
    });
  });

  it('refuses a chunked form over the limit with 413 after at most limit + one chunk', async () => {
    const { stream, counter } = lazyBody(128 * MB);
    const read = await readBodyForm(post(stream, { 'content-type': 'application/x-www-form-urlencoded' }), 16 * 1024);
    expect(read).toMatchObject({ ok: false, status: 413 });
    expect(counter.pulledBytes).toBeLessThanOrEqual(16 * 1024 + CHUNK);
  });
});

describe('bodyReadErrorResponse and formatByteLimit', () => {
  it('answers in the app’s JSON error shape with a sentence naming the limit', async () => {
    const read = await readBodyText(post(lazyBody(2 * LIMIT).stream), LIMIT);
    if (read.ok) throw new Error('expected a refusal');
    const response = bodyReadErrorResponse(read);
    expect(response.status).toBe(413);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({
      error: {
        code: 'body_too_large',
        message: 'The request body is larger than 256 KB, the most this endpoint accepts. Send a smaller body.',
      },
    });
  });

  it('formats limits the way people read them', () => {
    expect(formatByteLimit(256 * 1024)).toBe('256 KB');
    expect(formatByteLimit(256_000)).toBe('256 KB');
    expect(formatByteLimit(1_000_000)).toBe('1 MB');
    expect(formatByteLimit(16 * 1024)).toBe('16 KB');
    expect(formatByteLimit(500)).toBe('500 bytes');
  });
});
