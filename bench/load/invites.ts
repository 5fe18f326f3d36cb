import { fullLogin } from './login-flow';
import { organizationWithPeople, type LoadStack } from './app-stack';
import { formatSummary, summarize } from './stats';

/**
 * 20 admins of one organization invite at once through the JSON API (session cookie + CSRF
 * token, as the app's own pages do). Each sends 10 fresh addresses, and every admin also sends
 * the same 5 shared addresses, so concurrent duplicates must collapse to one invitation each.
 * Afterwards: every address exactly once in the mirror (SYNCED) and once in Scalekit.
 */
export async function concurrentInvites(
  stack: LoadStack,
  admins = 20,
  perAdmin = 10,
  shared = 5,
): Promise<{ lines: string[]; failures: string[] }> {
  const tag = Date.now().toString(36);
  const adminEmails = Array.from({ length: admins }, (_, i) => `load-admin-${tag}-${i}@loadco.test`);
  const orgId = await organizationWithPeople(stack, `Load invites ${tag}`, adminEmails, 'admin');
  await stack.scalekit.organization.upsertUserManagementSettings(orgId, { maxAllowedUsers: 10_000 });

  const logins = await Promise.all(adminEmails.map((email, i) => fullLogin(stack.appUrl, stack.emulatorUrl, email, `198.19.0.${i + 1}`)));
  const failures = logins.filter((l) => !l.ok).map((l) => `admin login: ${l.error}`);
  if (failures.length) return { lines: ['invites: admin logins failed'], failures };

  const sharedEmails = Array.from({ length: shared }, (_, i) => `load-shared-${tag}-${i}@loadco.test`);
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  const started = performance.now();
  await Promise.all(
    logins.map(async (login, a) => {
      const html = await (await login.browser.request(`${stack.appUrl}/orgs/${orgId}/team`)).text();
      const csrf = /<meta name="csrf-token" content="([^"]+)"/.exec(html)?.[1];
      if (!csrf) {
        failures.push(`admin ${a}: no CSRF token on the team page`);
        return;
      }
      const own = Array.from({ length: perAdmin }, (_, i) => `load-invitee-${tag}-${a}-${i}@loadco.test`);
      for (const email of [...own, ...sharedEmails]) {
        const t0 = performance.now();
        const res = await login.browser.request(`${stack.appUrl}/api/invitations?organizationId=${orgId}`, {
          json: { email, role: 'member' },
          headers: { origin: stack.appUrl, 'sec-fetch-site': 'same-origin', 'x-csrf-token': csrf, accept: 'application/json' },
        });
        await res.arrayBuffer();
        latencies.push(performance.now() - t0);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      }
    }),
  );
  const wall = performance.now() - started;

  const expected = admins * perAdmin + shared;
  const rows = (
    await stack.db.query<{ email: string; n: string; synced: string }>(
      `SELECT email, count(*) AS n, count(*) FILTER (WHERE "syncState" = 'SYNCED') AS synced FROM "Membership" WHERE "organizationId" = $1 AND email LIKE $2 GROUP BY email`,
      [orgId, `load-%-${tag}-%`],
    )
  ).rows.filter((r) => !r.email.startsWith('load-admin-'));
  const duplicatedRows = rows.filter((r) => Number(r.n) > 1).length;
  const unsynced = rows.filter((r) => Number(r.synced) !== 1).length;
  const inScalekit = new Map<string, number>();
  let pageToken: string | undefined;
  do {
    const page = await stack.scalekit.user.listOrganizationUsers(orgId, { pageSize: 100, pageToken });
    for (const u of page.users) inScalekit.set(u.email, (inScalekit.get(u.email) ?? 0) + 1);
    pageToken = page.nextPageToken || undefined;
  } while (pageToken);
  const invitees = [...inScalekit.entries()].filter(([e]) => !e.startsWith('load-admin-'));
  const created = statuses.get(201) ?? 0;
  const fiveXx = [...statuses.entries()].filter(([s]) => s >= 500).reduce((n, [, c]) => n + c, 0);

  if (fiveXx) failures.push(`${fiveXx} invite requests answered 5xx`);
  if (rows.length !== expected) failures.push(`${rows.length} invitation rows for ${expected} addresses (lost rows)`);
  if (duplicatedRows || unsynced) failures.push(`${duplicatedRows} addresses with duplicate rows, ${unsynced} not SYNCED`);
  if (invitees.length !== expected || invitees.some(([, n]) => n !== 1))
    failures.push(`Scalekit holds ${invitees.length} invitees for ${expected} addresses`);
  if (created !== expected) failures.push(`${created} "invited" answers for ${expected} distinct addresses (duplicates or losses)`);

  return {
    lines: [
      `${admins} admins inviting concurrently: ${latencies.length} requests (${expected} distinct addresses, ${shared} sent by every admin), wall ${(wall / 1000).toFixed(2)} s`,
      `  ${formatSummary('POST /api/invitations', summarize(latencies))}`,
      `  statuses: ${[...statuses.entries()]
        .sort()
        .map(([s, c]) => `${s}×${c}`)
        .join(', ')}; 5xx: ${fiveXx}`,
      `  rows: ${rows.length}/${expected} in the mirror, duplicates ${duplicatedRows}, unsynced ${unsynced}; Scalekit: ${invitees.length}/${expected}`,
    ],
    failures,
  };
}
