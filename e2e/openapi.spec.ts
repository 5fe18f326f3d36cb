import { expect, test } from '@playwright/test';
import { apiKeysOfFreshOrganization } from './pages/invitations';

/**
 * The built app serves its OpenAPI document publicly, and what it describes holds on the real
 * server: an integration invites with an Idempotency-Key, retries, finds its invitation by
 * externalId and reads it by id.
 */

test('GET /api/openapi.json: public, cacheable OpenAPI 3.1 naming the invitations operations', async ({ playwright, baseURL }) => {
  const anonymous = await playwright.request.newContext({ baseURL });
  try {
    const res = await anonymous.get('/api/openapi.json');
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toMatch(/^application\/json/);
    expect(res.headers()['cache-control']).toMatch(/public/);
    const doc = await res.json();
    expect(doc.openapi).toMatch(/^3\.1\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/invitations', '/api/invitations/{id}', '/api/openapi.json']));
    expect(doc.components.securitySchemes.apiKey).toMatchObject({ type: 'http', scheme: 'bearer' });
  } finally {
    await anonymous.dispose();
  }
});

test('an integration invites with an Idempotency-Key, retries safely, and finds its invitation by externalId and id', async ({
  page,
  playwright,
  baseURL,
}) => {
  const { tag, keys } = await apiKeysOfFreshOrganization(page);
  const secret = await keys.createKey(`Integration ${tag}`);
  const machine = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${secret}` } });
  try {
    const data = { email: `oas-${tag}@acme.test`, externalId: `hr-oas-${tag}` };
    const headers = { 'idempotency-key': `e2e-${tag}` };
    const first = await machine.post('/api/invitations', { data, headers });
    expect(first.status()).toBe(201);
    const retry = await machine.post('/api/invitations', { data, headers });
    expect(retry.status()).toBe(201);
    expect(retry.headers()['idempotent-replayed']).toBe('true');
    const id = (await first.json()).invitation.id as string;
    expect((await retry.json()).invitation.id).toBe(id);

    const found = await machine.get(`/api/invitations?externalId=hr-oas-${tag}`);
    expect((await found.json()).invitations.map((i: { id: string }) => i.id)).toEqual([id]);
    const one = await machine.get(`/api/invitations/${id}`);
    expect(await one.json()).toMatchObject({ invitation: { id, email: data.email, status: 'PENDING_INVITE' } });
    expect((await machine.delete(`/api/invitations/${id}`)).status()).toBe(204);
    expect((await machine.delete(`/api/invitations/${id}`)).status()).toBe(204);
    expect((await machine.get(`/api/invitations/${id}`)).status()).toBe(404);
  } finally {
    await machine.dispose();
  }
});
