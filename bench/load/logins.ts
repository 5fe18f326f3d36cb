import { fullLogin } from './login-flow';
import { organizationWithPeople, type LoadStack } from './app-stack';
import { formatSummary, summarize } from './stats';

/** 50 people sign in at once, each from their own IP; every one must reach the dashboard. */
export async function concurrentLogins(stack: LoadStack, count = 50): Promise<{ lines: string[]; failures: string[] }> {
  const tag = Date.now().toString(36);
  const emails = Array.from({ length: count }, (_, i) => `load-login-${tag}-${i}@loadco.test`);
  await organizationWithPeople(stack, `Load logins ${tag}`, emails, 'member');

  const started = performance.now();
  const results = await Promise.all(
    emails.map((email, i) => fullLogin(stack.appUrl, stack.emulatorUrl, email, `198.18.${Math.floor(i / 250)}.${(i % 250) + 1}`)),
  );
  const wall = performance.now() - started;

  const failures = results.filter((r) => !r.ok).map((r) => r.error ?? 'failed');
  const hops = results.flatMap((r) => r.browser.hops);
  const serverErrors = hops.filter((h) => h.status >= 500);
  const appHops = hops.filter((h) => h.url.startsWith(stack.appUrl));
  const sessions = Number(
    (
      await stack.db.query(`SELECT count(*) FROM "Session" s JOIN "User" u ON u.id = s."userId" WHERE u.email LIKE $1`, [
        `load-login-${tag}-%`,
      ])
    ).rows[0].count,
  );
  if (serverErrors.length)
    failures.push(
      `${serverErrors.length} responses were 5xx: ${serverErrors
        .slice(0, 3)
        .map((h) => `${h.status} ${h.url}`)
        .join(', ')}`,
    );
  if (sessions !== count) failures.push(`${sessions} sessions in the database for ${count} sign-ins`);
  return {
    lines: [
      `${count} concurrent full logins (app → hosted page → email code → callback → dashboard), wall ${(wall / 1000).toFixed(2)} s`,
      `  ${formatSummary('whole login', summarize(results.map((r) => r.ms)))}`,
      `  ${formatSummary('app requests', summarize(appHops.map((h) => h.ms)))}`,
      `  errors: ${failures.length} failed logins, ${serverErrors.length} 5xx; sessions stored: ${sessions}/${count}`,
    ],
    failures,
  };
}
