import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, errorForLog, redactText, runWithRequestId } from './log';

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: createLogger(stream, 'debug'), lines };
}

const inRequest = <T>(requestId: string, fn: () => T): T => runWithRequestId(requestId, fn);

describe('log', () => {
  it('logRedaction_paths: tokens, codes, cookies and secrets are censored by field name', () => {
    const { logger, lines } = capture();
    logger.info(
      { refreshToken: 'rt_abcdefgh12345678', code: '123456', cookie: 'tg_session=xyz', nested: { accessToken: 'at_1', secret: 's' } },
      'm',
    );
    const text = JSON.stringify(lines);
    for (const leaked of ['rt_abcdefgh12345678', '123456', 'tg_session=xyz', 'at_1', '"s"']) expect(text).not.toContain(leaked);
    expect(lines[0]).toMatchObject({ refreshToken: '[redacted]', code: '[redacted]', nested: { accessToken: '[redacted]' } });
  });

  it('logRedaction_text: token-shaped strings inside error messages are scrubbed', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c3IifQ.c2lnbmF0dXJl';
    const e = errorForLog(new Error(`exchange failed for ${jwt} with Bearer abc.def and sks_live_0123456789abcdef`));
    expect(e.message).not.toContain(jwt);
    expect(e.message).not.toContain('abc.def');
    expect(e.message).not.toContain('0123456789abcdef');
    expect(redactText('rt_0123456789abcdef')).toBe('rt_[redacted]');
    expect(redactText('connect failed: smtps://mailer:s3cret-pass@smtp.example.com:465')).toBe(
      'connect failed: smtps://[redacted]@smtp.example.com:465',
    );
  });

  it('requestId_inLogs: a line logged while serving a request carries its x-request-id; others carry none', () => {
    const { logger, lines } = capture();
    inRequest('req-0123456789', () => logger.warn('inside'));
    logger.warn('outside');
    expect(lines[0]).toMatchObject({ msg: 'inside', requestId: 'req-0123456789', level: 'warn' });
    expect(lines[1]!.requestId).toBeUndefined();
  });
});
