import { describe, expect, it } from 'vitest';
import { describeLoginError } from '@/app/login/login-error';
import { finishLogin, signInAtEmulator, startAuthStack } from '@/lib/auth/test-support';

/**
 * Fault suite, sign-in: Scalekit's token endpoint failing (500, 503) or throttling (429) while the
 * callback exchanges the code. The person lands on the sign-in page with a plain explanation, no
 * session is created, and signing in again works as soon as Scalekit does.
 */

const stack = await startAuthStack();
const { prisma } = stack.db;

async function tokenEndpointFails(httpStatus: number): Promise<void> {
  await fetch(`${stack.emulator.url}/_emulator/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ target: '/oauth/token', httpStatus, count: 5 }),
  });
}

describe('code exchange while Scalekit fails', () => {
  it.each([500, 503, 429])(
    'fault_tokenEndpoint%s: a friendly "temporarily unavailable", no session, and the next sign-in works',
    async (status) => {
      const sessionsBefore = await prisma.session.count();
      const login = await signInAtEmulator(stack, 'ada@acme.test');
      await tokenEndpointFails(status);
      const failed = await finishLogin(stack, login);
      expect(failed).toMatchObject({ ok: false, code: 'temporarily_unavailable' });
      const shown = describeLoginError(failed.ok ? undefined : failed.code);
      expect(shown).toMatchObject({ title: 'Sign-in is temporarily unavailable' });
      expect(await prisma.session.count()).toBe(sessionsBefore);

      await fetch(`${stack.emulator.url}/_emulator/faults`, { method: 'DELETE' });
      const again = await finishLogin(stack, await signInAtEmulator(stack, 'ada@acme.test'));
      expect(again.ok).toBe(true);
      expect(await prisma.session.count()).toBe(sessionsBefore + 1);
    },
  );
});
