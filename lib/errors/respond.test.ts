import { describe, expect, it } from 'vitest';
import { AppError, ForbiddenError } from './app-error';
import { ERROR_CODES } from './codes';
import { asAppError, problemJson, toActionResult } from './respond';

describe('AppError and the code registry', () => {
  it('takes its status from the registry and its default sentence when none is given', () => {
    const e = new AppError('domain_not_allowed');
    expect(e).toMatchObject({ code: 'domain_not_allowed', status: 422, message: ERROR_CODES.domain_not_allowed.message });
    expect(new ForbiddenError()).toMatchObject({ code: 'forbidden', status: 403 });
  });

  it('one field becomes fields; several are kept as given', () => {
    expect(new AppError('invalid_email', 'Bad.', { field: 'email' })).toMatchObject({ field: 'email', fields: { email: 'Bad.' } });
    expect(new AppError('validation_failed', 'A.', { fields: { a: 'A.', b: 'B.' } })).toMatchObject({
      field: undefined,
      fields: { a: 'A.', b: 'B.' },
    });
  });
});

describe('problemJson', () => {
  it('keeps the API body shape, never caches, and sends Retry-After when a retry has a time', async () => {
    const res = problemJson(new AppError('rate_limited', 'Slow down.', { retryAfter: 42 }));
    expect(res.status).toBe(429);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('retry-after')).toBe('42');
    expect(await res.json()).toEqual({ error: { code: 'rate_limited', message: 'Slow down.' } });
  });

  it('challenges for credentials on an API 401 but not on a bad webhook signature', () => {
    expect(problemJson(new AppError('invalid_api_key')).headers.get('www-authenticate')).toBe('Bearer');
    expect(problemJson(new AppError('invalid_signature')).headers.get('www-authenticate')).toBeNull();
  });

  it('an unknown error is a generic 500 that reveals nothing', async () => {
    const res = problemJson(new Error('password=hunter2 in SQL'));
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toContain('hunter2');
    expect(JSON.parse(text)).toEqual({ error: { code: 'internal_error', message: ERROR_CODES.internal_error.message } });
  });
});

describe('toActionResult', () => {
  it('passes every field error through', () => {
    const result = toActionResult(new AppError('validation_failed', 'Email.', { fields: { email: 'Email.', role: 'Role.' } }));
    expect(result).toEqual({ ok: false, error: 'Email.', code: 'validation_failed', fieldErrors: { email: 'Email.', role: 'Role.' } });
  });

  it('an unknown error becomes the generic sentence', () => {
    const result = toActionResult(new Error('secret detail'));
    expect(result.error).not.toContain('secret');
    expect(result.error).toMatch(/Something went wrong on our side/);
    expect(asAppError(new Error('x')).code).toBe('internal_error');
  });
});
