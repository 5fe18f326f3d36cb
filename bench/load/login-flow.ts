import { Browserless, flowId } from './browserless';

/**
 * One full sign-in as a browser does it: GET /api/auth/login → Scalekit's hosted sign-in page
 * (the emulator's) → email → one-time code from the mailbox JSON → callback → the dashboard.
 */
export interface LoginResult {
  ok: boolean;
  ms: number;
  browser: Browserless;
  error?: string;
}

async function codeFor(emulatorUrl: string, email: string, since: string): Promise<string> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const emails = (await (await fetch(`${emulatorUrl}/_emulator/emails?to=${encodeURIComponent(email)}`)).json()) as Array<{
      code: string | null;
      sentAt: string;
    }>;
    const found = emails.find((e) => e.code && e.sentAt >= since);
    if (found) return found.code!;
    if (Date.now() > deadline) throw new Error(`no code email for ${email}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function fullLogin(appUrl: string, emulatorUrl: string, email: string, clientIp: string): Promise<LoginResult> {
  const browser = new Browserless(clientIp);
  const started = performance.now();
  try {
    const start = await browser.follow(`${appUrl}/api/auth/login?${new URLSearchParams({ login_hint: email, returnTo: '/dashboard' })}`);
    if (start.response.status !== 200 || !start.url.startsWith(emulatorUrl))
      throw new Error(`sign-in start ended at ${start.url} with ${start.response.status}`);
    const flow = flowId(await start.response.text());
    const since = new Date(Date.now() - 1_000).toISOString();
    const submitted = await browser.request(`${emulatorUrl}/login`, { form: { flow, email } });
    await submitted.arrayBuffer();
    if (submitted.status !== 302 && submitted.status !== 303) throw new Error(`email step answered ${submitted.status}`);
    const code = await codeFor(emulatorUrl, email, since);
    const done = await browser.follow(`${emulatorUrl}/login/verify`, { form: { flow, code } });
    const html = await done.response.text();
    if (done.response.status !== 200 || new URL(done.url).pathname !== '/dashboard')
      throw new Error(`ended at ${done.url} with ${done.response.status}`);
    if (!html.includes(email)) throw new Error('the dashboard does not show the signed-in user');
    return { ok: true, ms: performance.now() - started, browser };
  } catch (error) {
    return { ok: false, ms: performance.now() - started, browser, error: (error as Error).message };
  }
}
