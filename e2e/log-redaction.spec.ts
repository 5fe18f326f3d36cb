import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import pg from 'pg';
import { EmulatorPages, waitForEmail } from './pages/emulator-pages';
import { leakedSecrets } from './support/secret-scan';
import { freshOrganization, InviteDialog, toast } from './pages/invitations';
import {
  E2E_APP_LOG_FILE,
  E2E_BASE_URL,
  E2E_DATABASE_NAME,
  E2E_CLIENT_SECRET,
  E2E_SESSION_SECRET,
  E2E_WEBHOOK_SECRET,
} from './support/test-env';

const APP_ORIGIN = new URL(E2E_BASE_URL).origin;

/** The e2e stack's database (e2e/support/stack.ts), on the same server as the test harness's. */
function e2eDatabaseUrl(): string {
  const url = new URL(process.env.TEST_DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/postgres');
  url.pathname = `/${E2E_DATABASE_NAME}`;
  return url.toString();
}

/**
 * Signs in, invites, and has the invitee sign up, recording every secret that crossed the wire
 * (one-time codes, authorization codes, state, session and flow cookies, CSRF token), then
 * greps everything the app server logged for them and for anything token-shaped.
 */

interface Seen {
  secrets: Set<string>;
}

function record(page: Page, seen: Seen): void {
  page.on('request', (req) => {
    const url = new URL(req.url());
    if (url.pathname === '/api/auth/callback') {
      for (const key of ['code', 'state']) {
        const value = url.searchParams.get(key);
        if (value) seen.secrets.add(value);
      }
    }
  });
}

async function collectCookies(page: Page, seen: Seen): Promise<void> {
  for (const c of await page.context().cookies()) if (c.value.length >= 16) seen.secrets.add(c.value);
  const csrf = await page
    .locator('meta[name="csrf-token"]')
    .getAttribute('content')
    .catch(() => null);
  if (csrf) seen.secrets.add(csrf);
}

async function signInWithCode(page: Page, email: string, start: string, seen: Seen): Promise<void> {
  await expect(async () => {
    await page.goto(start);
    const idp = new EmulatorPages(page);
    await expect(idp.emailInput).toBeVisible();
    if ((await idp.emailInput.inputValue()) !== email) await idp.emailInput.fill(email);
    const since = new Date(Date.now() - 1_000).toISOString();
    await idp.continueButton.click();
    const sent = await waitForEmail(email, (e) => e.code !== null, since);
    seen.secrets.add(sent.code!);
    await idp.codeInput.fill(sent.code!);
    await idp.verifyButton.click();
    await page.waitForURL((url) => url.origin === APP_ORIGIN && /^\/(dashboard|orgs\/)/.test(url.pathname), { timeout: 8_000 });
  }).toPass({ timeout: 30_000 });
  await collectCookies(page, seen);
}

test('logRedaction_e2e: after sign-in, invite and sign-up, the app log holds none of the tokens, codes or cookies', async ({
  page,
  browser,
}) => {
  test.setTimeout(90_000);
  const seen: Seen = { secrets: new Set() };
  const { tag, orgId, admin } = await freshOrganization();
  record(page, seen);
  await signInWithCode(page, admin, `/api/auth/login?${new URLSearchParams({ login_hint: admin, returnTo: `/orgs/${orgId}/team` })}`, seen);

  const invitee = `logcheck-${tag}@acme.test`;
  await page.goto(`/orgs/${orgId}/team`);
  await collectCookies(page, seen);
  await new InviteDialog(page).invite(invitee);
  await expect(toast(page, `Invitation sent to ${invitee}.`)).toBeVisible();

  const invitation = await waitForEmail(invitee, (e) => /invited/i.test(e.subject));
  const other = await browser.newContext();
  try {
    const inviteePage = await other.newPage();
    record(inviteePage, seen);
    await signInWithCode(inviteePage, invitee, invitation.links[0]!, seen);
  } finally {
    await other.close();
  }

  // The audit event of the form's invite carries the request id middleware gave that request.
  const pool = new pg.Client({ connectionString: e2eDatabaseUrl() });
  await pool.connect();
  try {
    const audit = await pool.query<{ requestId: string | null }>(
      `SELECT "requestId" FROM "AuditEvent" WHERE action = 'invitation.created' AND "targetLabel" = $1`,
      [invitee],
    );
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0]!.requestId).toMatch(/^[0-9a-f-]{36}$/);
  } finally {
    await pool.end();
  }

  // Log lines are flushed asynchronously; give the server a moment.
  await page.waitForTimeout(500);
  const logText = readFileSync(E2E_APP_LOG_FILE, 'utf8');
  const lines = logText.split('\n').filter(Boolean);

  // Not vacuous: the app logged these sign-ins, with request ids, into the file we read.
  const signIns = lines.filter((l) => l.includes('"msg":"signed in"'));
  expect(signIns.length).toBeGreaterThanOrEqual(2);
  for (const line of signIns) expect(JSON.parse(line)).toMatchObject({ requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
  expect(seen.secrets.size).toBeGreaterThanOrEqual(8);

  // Whole tokens only: a 6-digit code must not match the same digits inside a timestamp.
  const leaked = leakedSecrets(logText, seen.secrets);
  expect(leaked).toEqual([]);
  for (const secret of [E2E_CLIENT_SECRET, E2E_WEBHOOK_SECRET, E2E_SESSION_SECRET]) expect(logText).not.toContain(secret);
  // Anything token-shaped: refresh tokens, JWTs (access / ID tokens), bearer values, API keys.
  expect(logText).not.toMatch(/\brt_[A-Za-z0-9_-]{8,}/);
  expect(logText).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}/);
  expect(logText).not.toMatch(/Bearer [A-Za-z0-9._~+/=-]{12,}/);
  expect(logText).not.toMatch(/\btg_live_[A-Za-z0-9_-]{12,}/);
});
