import { describe, expect, it } from 'vitest';
import { NextRequest } from 'next/server';
import { useTestDatabase } from '@/test/database';
import { readDemoSeed, seedDemoData } from '@/prisma/seed';
import { GET as loginStart } from '@/app/api/auth/login/route';
import { GET as initiateStart } from '@/app/auth/login/initiate/route';

// A budget reached in a few requests; lib/env.ts reads it on first use.
process.env.RATE_LIMIT_LOGIN_PER_MINUTE = '3';
process.env.APP_URL = 'http://localhost:3000';
const { prisma } = await useTestDatabase();
await seedDemoData(prisma, readDemoSeed());

function get(path: string, ip: string, accept = 'text/html,application/xhtml+xml'): NextRequest {
  return new NextRequest(`http://localhost:3000${path}`, { headers: { 'x-forwarded-for': ip, accept } });
}

describe('sign-in start rate limit (per client IP, shared by both entry points)', () => {
  it('rateLimit_loginPerIp: the 4th start from one IP within a minute gets a 429 page with Retry-After; others are unaffected', async () => {
    const ip = '198.51.100.77';
    const first = await loginStart(get('/api/auth/login?login_hint=ada%40acme.test', ip));
    expect(first.status).toBe(302);
    expect(first.headers.get('location')).toMatch(/\/oauth\/authorize\?/);
    // The invitation link counts against the same budget.
    expect((await initiateStart(get('/auth/login/initiate?login_hint=new.hire%40acme.test&organization_id=org_acme', ip))).status).toBe(
      302,
    );
    expect((await loginStart(get('/api/auth/login', ip))).status).toBe(302);

    const refused = await loginStart(get('/api/auth/login?login_hint=ada%40acme.test', ip));
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(refused.headers.get('content-type')).toMatch(/text\/html/);
    expect(refused.headers.get('set-cookie')).toBeNull();
    const page = await refused.text();
    expect(page).toContain('<h1 style="font-size:1.25rem">Too many sign-in attempts</h1>');
    expect(page).toMatch(/Wait \d+ seconds? and try again/);
    expect(page).toContain('href="/login"');

    const invite = await initiateStart(get('/auth/login/initiate?login_hint=new.hire%40acme.test&organization_id=org_acme', ip));
    expect(invite.status).toBe(429);

    // Another client is not held back by this one.
    expect((await loginStart(get('/api/auth/login', '203.0.113.5'))).status).toBe(302);
  });

  it('API callers get JSON; the budget comes back when the window ends', async () => {
    const ip = '198.51.100.78';
    for (let i = 0; i < 3; i++) await loginStart(get('/api/auth/login', ip));
    const refused = await loginStart(get('/api/auth/login', ip, 'application/json'));
    expect(refused.status).toBe(429);
    expect(await refused.json()).toEqual({
      error: { code: 'rate_limited', message: expect.stringMatching(/Too many sign-in attempts from your network/) },
    });

    await prisma.rateLimitBucket.updateMany({ where: { key: `login:ip:${ip}` }, data: { resetAt: new Date(Date.now() - 1000) } });
    expect((await loginStart(get('/api/auth/login', ip))).status).toBe(302);
  });

  it('a spoofed X-Forwarded-For entry on the left does not buy a fresh budget behind one proxy', async () => {
    const real = '198.51.100.79';
    for (let i = 0; i < 3; i++) await loginStart(get('/api/auth/login', `10.9.9.${i}, ${real}`));
    expect((await loginStart(get('/api/auth/login', `10.9.9.99, ${real}`))).status).toBe(429);
  });
});
