import { describe, expect, it } from 'vitest';
import { effectiveStatus } from './status';

describe('effectiveStatus', () => {
  const now = new Date('2026-06-01T12:00:00.000Z');
  it('reads a pending invitation past its expiry as INVITE_EXPIRED, at the exact instant too', () => {
    expect(effectiveStatus({ status: 'PENDING_INVITE', expiresAt: new Date('2026-06-01T11:59:59.999Z') }, now)).toBe('INVITE_EXPIRED');
    expect(effectiveStatus({ status: 'PENDING_INVITE', expiresAt: now }, now)).toBe('INVITE_EXPIRED');
  });
  it('leaves an unexpired or never-expiring invitation and every other status as stored', () => {
    expect(effectiveStatus({ status: 'PENDING_INVITE', expiresAt: new Date('2026-06-01T12:00:00.001Z') }, now)).toBe('PENDING_INVITE');
    expect(effectiveStatus({ status: 'PENDING_INVITE', expiresAt: null }, now)).toBe('PENDING_INVITE');
    expect(effectiveStatus({ status: 'ACTIVE', expiresAt: new Date(0) }, now)).toBe('ACTIVE');
    expect(effectiveStatus({ status: 'INACTIVE', expiresAt: null }, now)).toBe('INACTIVE');
  });
});
