import { describe, expect, it } from 'vitest';
import { documentedEventTypes } from '@/test/contract/scalekit/schema';
import { isDocumentedEventType, SCALEKIT_EVENT_TYPES } from '@/lib/webhooks/catalogue';

describe('the app’s list of Scalekit event types', () => {
  it('is exactly the vendored OpenAPI document’s webhooks, in its order', () => {
    expect([...SCALEKIT_EVENT_TYPES]).toEqual([...documentedEventTypes]);
  });

  it('tells documented types from invented ones', () => {
    expect(isDocumentedEventType('user.organization_membership_created')).toBe(true);
    for (const invented of ['membership.created', 'user.created', 'user.updated', 'user.deleted', '']) {
      expect(isDocumentedEventType(invented)).toBe(false);
    }
  });
});
