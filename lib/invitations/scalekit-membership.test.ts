import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { describe, expect, it } from 'vitest';
import { userFields } from './scalekit-membership';

describe('userFields', () => {
  it('reads Scalekit’s last_login_time as lastLoginAt, and leaves it out for a user who never signed in', () => {
    const at = new Date('2026-11-21T10:00:00.123Z');
    const user = { id: 'usr_1', email: 'Ada@Acme.test', memberships: [], userProfile: { firstName: 'Ada', lastName: 'L' } };
    expect(userFields({ ...user, lastLoginTime: timestampFromDate(at) })).toMatchObject({
      email: 'ada@acme.test',
      name: 'Ada L',
      lastLoginAt: at,
    });
    expect(userFields(user)).not.toHaveProperty('lastLoginAt');
  });
});
