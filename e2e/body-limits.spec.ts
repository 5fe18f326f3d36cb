import { expect, test } from '@playwright/test';
import { freshOrganization, signIn } from './pages/invitations';
import { chunkedUpload, listeningPid, rssBytes, type UploadResult } from './support/server-process';
import { E2E_PORT } from './support/test-env';

/**
 * Body limits against the real production server (`next start`): chunked uploads carry no
 * Content-Length, so only a reader that counts bytes while streaming can stop them. Four
 * parallel 128 MB uploads to the webhook receiver and to the invitations API must each get a
 * 413 in the app's JSON error shape, and the server's resident memory must stay flat.
 *
 * Two things hold memory here, and both are checked: the app's readers (lib/http/read-body.ts)
 * and Next.js's copy of every body for middleware (`experimental.proxyClientMaxBodySize` in
 * next.config.ts; past it Next.js drains and discards). Before either, the growth was ~140 MB.
 */

const MB = 1024 * 1024;
const UPLOAD_BYTES = 128 * MB;
const PARALLEL = 4;
// Measured after the fix: 39–86 MB of growth on a busy 2-core machine (RSS includes garbage not yet
// collected). Before the fix it was ~140 MB, and a reader that buffered each body would hold 1 GB.
const MAX_RSS_GROWTH = 100 * MB;

function expectTooLarge(result: UploadResult): void {
  expect(result.status, result.body).toBe(413);
  const body = JSON.parse(result.body) as { error?: { code?: string; message?: string } };
  expect(body.error?.code).toBe('body_too_large');
  expect(body.error?.message).toMatch(/^The request body is larger than \d+ KB/);
}

test('bodyLimits_streaming: 4 parallel chunked 128 MB uploads to the webhook and the invitations API get 413, and the server’s memory stays flat', async ({
  page,
  baseURL,
}) => {
  test.setTimeout(180_000);
  const { orgId, admin } = await freshOrganization();
  await signIn(page, admin, `/orgs/${orgId}/team`);
  const csrf = await page.locator('meta[name="csrf-token"]').getAttribute('content');
  const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
  const origin = new URL(baseURL!).origin;
  const targets: Array<{ path: string; headers: Record<string, string> }> = [
    { path: '/api/webhooks/scalekit', headers: { 'content-type': 'application/json' } },
    {
      path: `/api/invitations?organizationId=${orgId}`,
      headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrf!, origin },
    },
  ];

  const pid = listeningPid(E2E_PORT);
  // Warm up with the same parallelism but small bodies (2 MB: below every limit Next.js applies
  // itself), so the routes' code and four connections' worth of buffers are in the baseline and
  // the growth measured is what the 128 MB bodies add.
  for (const target of targets) {
    const warm = await Promise.all(Array.from({ length: PARALLEL }, () => chunkedUpload(baseURL!, target.path, target.headers, 2 * MB)));
    for (const result of warm) expectTooLarge(result);
  }
  await new Promise((r) => setTimeout(r, 300));
  const baseline = rssBytes(pid);
  let peak = baseline;
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssBytes(pid));
  }, 20);

  const started = Date.now();
  try {
    for (const target of targets) {
      const results = await Promise.all(
        Array.from({ length: PARALLEL }, () => chunkedUpload(baseURL!, target.path, target.headers, UPLOAD_BYTES)),
      );
      for (const result of results) expectTooLarge(result);
    }
  } finally {
    clearInterval(sampler);
  }
  peak = Math.max(peak, rssBytes(pid));
  const growth = peak - baseline;
  const figures = `RSS baseline ${(baseline / MB).toFixed(1)} MB, peak ${(peak / MB).toFixed(1)} MB, growth ${(growth / MB).toFixed(1)} MB, ${Date.now() - started} ms for ${2 * PARALLEL} × 128 MB`;
  test.info().annotations.push({ type: 'rss', description: figures });
  console.log(`[body-limits] ${figures}`);
  expect(growth).toBeLessThan(MAX_RSS_GROWTH);

  // The server is still fine afterwards.
  expect((await page.request.get('/api/health')).status()).toBeLessThan(500);
});
