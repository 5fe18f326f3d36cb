import { describe, expect, it } from 'vitest';
import { describeLoginError, firstParam } from './login-error';

describe('describeLoginError', () => {
  it('shows nothing when there is no error', () => {
    expect(describeLoginError(undefined, 'ignored without an error code')).toBeNull();
    expect(describeLoginError('', undefined)).toBeNull();
  });

  it('explains known OAuth codes in plain words', () => {
    const view = describeLoginError('access_denied', undefined);
    expect(view).toMatchObject({ title: 'Sign-in was not completed', code: 'access_denied' });
    expect(view?.detail).toMatch(/invitation/);
  });

  it('prefers the provider description when one is given', () => {
    expect(describeLoginError('access_denied', 'User cancelled the login')?.detail).toBe('User cancelled the login');
  });

  it('keeps an unknown but well-formed code, with a generic title', () => {
    expect(describeLoginError('weird_code', undefined)).toMatchObject({ title: 'Sign-in did not complete', code: 'weird_code' });
  });

  it('does not repeat a code that is not shaped like one (it is attacker-controlled text)', () => {
    const view = describeLoginError('<script>alert(1)</script>', undefined);
    expect(view?.code).toBeUndefined();
    expect(JSON.stringify(view)).not.toContain('<script>');
  });

  it('flattens control characters and cuts long descriptions', () => {
    const view = describeLoginError('server_error', `line one\r\nline two\u0000${'x'.repeat(1000)}`);
    expect(view?.detail).not.toMatch(/[\r\n\u0000]/);
    expect(view?.detail?.startsWith('line one line two')).toBe(true);
    expect(view?.detail?.length).toBeLessThanOrEqual(300);
    expect(view?.detail?.endsWith('…')).toBe(true);
  });
});

describe('firstParam', () => {
  it('takes the first of repeated query values', () => {
    expect(firstParam(['a', 'b'])).toBe('a');
    expect(firstParam('a')).toBe('a');
    expect(firstParam(undefined)).toBeUndefined();
  });
});
