import { describe, expect, it } from 'vitest';
import { formatDateTime, formatRelative, teamHref } from './format';

const now = new Date('2026-11-30T12:00:00.000Z');
const ago = (ms: number) => new Date(now.getTime() - ms);
const MIN = 60_000;
const DAY = 24 * 60 * MIN;

describe('formatRelative', () => {
  it.each([
    [0, 'just now'],
    [59_000, 'just now'],
    [5 * MIN, '5 minutes ago'],
    [60 * MIN, '1 hour ago'],
    [23 * 60 * MIN, '23 hours ago'],
    [DAY, 'yesterday'],
    [29 * DAY, '29 days ago'],
    [30 * DAY, 'last month'],
    [95 * DAY, '3 months ago'],
    [400 * DAY, 'last year'],
  ])('%i ms ago reads "%s"', (ms, text) => {
    expect(formatRelative(ago(ms), now)).toBe(text);
  });

  it('a time a little ahead of the server’s clock is "just now", not "in 2 seconds"', () => {
    expect(formatRelative(new Date(now.getTime() + 2_000), now)).toBe('just now');
  });
});

describe('formatDateTime', () => {
  it('is the exact minute in UTC', () => {
    expect(formatDateTime(new Date('2026-11-30T09:05:59.000Z'))).toBe('Nov 30, 2026, 9:05 AM UTC');
  });
});

describe('teamHref', () => {
  it('carries the inactive filter and the sort with the other filters and the cursor', () => {
    expect(teamHref('org_acme', { q: 'ada', inactive: 30, sort: 'last_sign_in_asc' }, 'abc')).toBe(
      '/orgs/org_acme/team?q=ada&inactive=30&sort=last_sign_in_asc&cursor=abc',
    );
    expect(teamHref('org_acme', {})).toBe('/orgs/org_acme/team');
  });
});
