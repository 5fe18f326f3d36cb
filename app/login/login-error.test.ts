import { describe, expect, it } from 'vitest';
import { describeLoginError, firstParam, LOGIN_ERRORS } from './login-error';

describe('describeLoginError', () => {
  it('shows nothing when there is no error', () => {
    expect(describeLoginError(undefined)).toBeNull();
    expect(describeLoginError('')).toBeNull();
  });

  it('loginError_mapping: every known code gets the app’s own title and sentence, and its code', () => {
    for (const [code, text] of Object.entries(LOGIN_ERRORS)) {
      expect(describeLoginError(code)).toEqual({ title: text.title, detail: text.detail, code });
      expect(text.detail.length).toBeGreaterThan(10);
    }
    expect(describeLoginError('access_denied')?.detail).toMatch(/invitation/);
    expect(describeLoginError('ACCESS_DENIED')?.code).toBe('access_denied');
  });

  it('gives an unknown code one generic sentence and does not repeat the code (it is anyone’s text)', () => {
    for (const error of [
      'weird_code',
      'call_555_0100_now',
      '<script>alert(1)</script>',
      'x'.repeat(500),
      'toString',
      '__proto__',
      'constructor',
    ]) {
      expect(describeLoginError(error)).toEqual({
        title: 'Sign-in did not complete',
        detail: 'Please try again, or use another sign-in method.',
      });
    }
  });
});

describe('firstParam', () => {
  it('takes the first of repeated query values', () => {
    expect(firstParam(['a', 'b'])).toBe('a');
    expect(firstParam('a')).toBe('a');
    expect(firstParam(undefined)).toBeUndefined();
  });
});
