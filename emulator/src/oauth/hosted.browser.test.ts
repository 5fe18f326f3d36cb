import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { decodeJwt } from 'jose';
import type { Emulator } from '../index.js';
import { emailsTo, sdk, startEmulator } from '../testing.js';

// The hosted pages in a real Chromium, behind a minimal stand-in for the app:
// it starts logins, follows invitation links and exchanges the code with the SDK.

let emu: Emulator;
let browser: Browser;
let app: http.Server;
let appUrl = '';

function startApp(): Promise<void> {
  app = http.createServer(async (req, res) => {
    const url = new URL(req.url!, appUrl);
    const client = sdk(emu);
    const callback = `${appUrl}/api/auth/callback`;
    const go = (location: string) => res.writeHead(302, { location }).end();
    if (url.pathname === '/login') {
      return go(
        client.getAuthorizationUrl(callback, { state: 'st', nonce: 'nn', scopes: ['openid', 'profile', 'email', 'offline_access'] }),
      );
    }
    if (url.pathname === '/auth/login/initiate') {
      return go(
        // As the app does: Scalekit's invitation parameters are forwarded, an own link asks for a signup.
        `${client.getAuthorizationUrl(callback, {
          ...(url.searchParams.has('iss') ? {} : { prompt: 'create' }),
          loginHint: url.searchParams.get('login_hint') ?? undefined,
          organizationId: url.searchParams.get('organization_id') ?? undefined,
          state: 'invite',
        })}${url.searchParams.has('invitation_token') ? `&invitation_token=${encodeURIComponent(url.searchParams.get('invitation_token')!)}` : ''}`,
      );
    }
    if (url.pathname === '/api/auth/callback') {
      try {
        const result = await client.authenticateWithCode(url.searchParams.get('code')!, callback);
        const claims = decodeJwt(result.accessToken);
        res.writeHead(200, { 'content-type': 'text/html' }).end(`<h1>Signed in as ${result.user.email} in ${claims.oid}</h1>`);
      } catch (error) {
        res.writeHead(500).end(`exchange failed: ${(error as Error).message}`);
      }
      return;
    }
    res.writeHead(404).end();
  });
  return new Promise((resolve) =>
    app.listen(0, '127.0.0.1', () => {
      appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
      resolve();
    }),
  );
}

async function latestCode(email: string): Promise<string> {
  const [mail] = await emailsTo(emu, email);
  expect(mail?.code).toMatch(/^\d{6}$/);
  return mail!.code!;
}

async function enterCode(page: Page, email: string) {
  await expect.poll(async () => (await emailsTo(emu, email)).length).toBeGreaterThan(0);
  await page.getByLabel('Verification code').fill(await latestCode(email));
  await page.getByRole('button', { name: 'Verify' }).click();
}

/** A page in a fresh browser context that started a login at the app and submitted `email`. */
async function startLogin(email: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${appUrl}/login`);
  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Continue' }).click();
  return page;
}

beforeAll(async () => {
  await startApp();
  emu = await startEmulator({ appUrl });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});

afterAll(async () => {
  await browser?.close();
  await emu?.close();
  await new Promise((r) => app?.close(r));
});

describe('hosted pages in Chromium', () => {
  it('signs in with the email code, skips the login on the next visit, and picks an org for multi-org users', async () => {
    emu.reset();
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${appUrl}/login`);
    await expect.poll(() => page.title()).toBe('Sign in');
    await page.getByLabel('Email').fill('ada@acme.test');
    await page.getByRole('button', { name: 'Continue' }).click();
    await enterCode(page, 'ada@acme.test');
    await page.getByText('Signed in as ada@acme.test in org_acme').waitFor();

    // The emulator's browser session: a second login goes straight back.
    await page.goto(`${appUrl}/login`);
    await page.getByText('Signed in as ada@acme.test in org_acme').waitFor();
    await context.close();

    const riley = await startLogin('riley@consultant.test');
    await enterCode(riley, 'riley@consultant.test');
    await riley.getByRole('button', { name: 'Globex' }).click();
    await riley.getByText('Signed in as riley@consultant.test in org_globex').waitFor();
    await riley.context().close();
  });

  it('shows a clear error for a wrong code', async () => {
    emu.reset();
    const page = await startLogin('max@acme.test');
    await expect.poll(async () => (await emailsTo(emu, 'max@acme.test')).length).toBe(1);
    const code = await latestCode('max@acme.test');
    await page.getByLabel('Verification code').fill(code === '123456' ? '654321' : '123456');
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('alert').getByText('That code is not correct. 4 attempts left.').waitFor();
    await page.getByLabel('Verification code').fill(code);
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByText('Signed in as max@acme.test in org_acme').waitFor();
    await page.context().close();
  });

  it('accepts an invitation from the mailbox link with invite-only signup', async () => {
    emu.reset();
    const client = sdk(emu);
    const { user } = await client.user.createUserAndMembership('org_acme', {
      email: 'invitee@acme.test',
      userProfile: { firstName: 'In', lastName: 'Vitee' },
    });
    const [invitation] = await emailsTo(emu, 'invitee@acme.test');
    expect(invitation!.subject).toBe("You're invited to join Acme on Teamgate");
    expect(invitation!.links[0]!.startsWith(`${emu.url}/invitations/accept?`)).toBe(true);

    const page = await (await browser.newContext()).newPage();
    await page.goto(invitation!.links[0]!);
    await page.getByRole('heading', { name: 'Create your account' }).waitFor();
    expect(await page.getByLabel('Email').inputValue()).toBe('invitee@acme.test');
    await page.getByRole('button', { name: 'Continue' }).click();
    await enterCode(page, 'invitee@acme.test');
    await page.getByText('Signed in as invitee@acme.test in org_acme').waitFor();
    const after = await client.user.getUser(user!.id);
    expect(after.user?.memberships[0]?.membershipStatus).toBe(1);

    // Someone without an invitation is turned away on the same page.
    const stranger = await (await browser.newContext()).newPage();
    await stranger.goto(`${appUrl}/auth/login/initiate?login_hint=stranger%40else.test`);
    await stranger.getByRole('button', { name: 'Continue' }).click();
    await stranger.getByRole('alert').getByText('Signup is by invitation only', { exact: false }).waitFor();
    await stranger.context().close();
    await page.context().close();
  });

  it('signs in through the emulated Okta page for an SSO organization', async () => {
    emu.reset();
    const page = await startLogin('gina@globex.test');
    await page.getByRole('alert').getByText('single sign-on', { exact: false }).waitFor();
    await page.getByRole('link', { name: 'Continue with Okta (emulated)' }).first().click();
    await page.getByLabel('Work email').fill('gina@globex.test');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Signed in as gina@globex.test in org_globex').waitFor();
    await page.context().close();
  });
});
