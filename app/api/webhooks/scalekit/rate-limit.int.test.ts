import { describe, expect, it } from 'vitest';
import { signWebhook } from '@/emulator/src/index';
import { useTestDatabase } from '@/test/database';
import { POST } from './route';

// Read by lib/env.ts on first use: a budget small enough to reach in a few deliveries.
process.env.RATE_LIMIT_WEBHOOKS_PER_MINUTE = '3';
process.env.SCALEKIT_WEBHOOK_SECRET = 'whsec_dGVhbWdhdGUtZGV2LXdlYmhvb2stc2VjcmV0LW5vdC1yZWFs';
const { prisma } = await useTestDatabase();

let seq = 0;
function delivery(source: string, { signed = true } = {}): Request {
  const id = `evt_rl_${Date.now()}_${seq++}`;
  const body = JSON.stringify({ id, type: 'organization.noop', environment_id: 'env', occurred_at: new Date().toISOString(), data: {} });
  const ts = Math.floor(Date.now() / 1000);
  const signature = signed ? signWebhook(process.env.SCALEKIT_WEBHOOK_SECRET!, id, ts, body) : 'v1,AAAA';
  return new Request('http://localhost/api/webhooks/scalekit', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-forwarded-for': source,
      'webhook-id': id,
      'webhook-timestamp': String(ts),
      'webhook-signature': signature,
    },
    body,
  });
}

describe('webhook receiver rate limit (per source IP)', () => {
  it('rateLimit_webhooksPerSource: past the budget a source gets 429 + Retry-After, even for a signed event, which is not applied', async () => {
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await POST(delivery('198.51.100.20', { signed: false }))).status);
    expect(statuses).toEqual([401, 401, 401]);

    const refused = await POST(delivery('198.51.100.20'));
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(((await refused.json()) as { error: { code: string; message: string } }).error).toMatchObject({
      code: 'rate_limited',
      message: expect.stringMatching(/Too many webhook deliveries from this source; retry after \d+ seconds/),
    });
    expect(await prisma.processedWebhook.count()).toBe(0);

    // Another source has its own budget.
    expect((await POST(delivery('203.0.113.30'))).status).toBe(200);
  });

  it('once the window has passed, the retried delivery is applied', async () => {
    await prisma.rateLimitBucket.updateMany({
      where: { key: { startsWith: 'webhook:source:198.51.100.20' } },
      data: { resetAt: new Date(Date.now() - 1000) },
    });
    const res = await POST(delivery('198.51.100.20'));
    expect(res.status).toBe(200);
    expect(await prisma.processedWebhook.count()).toBe(2);
  });
});
