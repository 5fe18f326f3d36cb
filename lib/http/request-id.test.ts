import { describe, expect, it } from 'vitest';
import { newRequestId, requestIdFrom } from './request-id';

describe('requestIdFrom', () => {
  it("keeps a caller's well-formed id so a load balancer's id carries through", () => {
    expect(requestIdFrom(new Headers({ 'x-request-id': 'lb-7f3a9c21e0' }))).toBe('lb-7f3a9c21e0');
  });

  it('replaces an id that could forge log lines or is absurdly long', () => {
    for (const bad of ['evil","level":"error', 'short', 'a'.repeat(200), 'id with spaces']) {
      const id = requestIdFrom(new Headers({ 'x-request-id': bad }));
      expect(id).not.toBe(bad);
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('generates a fresh id per request when none is given', () => {
    expect(requestIdFrom(new Headers())).not.toBe(requestIdFrom(new Headers()));
    expect(newRequestId()).toMatch(/^[0-9a-f]{8}-/);
  });
});
