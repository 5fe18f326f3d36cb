import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '@/lib/errors/app-error';
import { domainAllowed, parseInviteInput } from './schemas';
import { validateInvite } from './service';

describe('parseInviteInput', () => {
  it('normalizes a valid invitation', () => {
    expect(
      parseInviteInput({ email: '  Ada@Example.COM ', role: 'admin', name: ' Ada  ', externalId: 'hr-1', metadata: { team: 'ops' } }),
    ).toEqual({
      ok: true,
      value: { email: 'ada@example.com', role: 'admin', name: 'Ada', externalId: 'hr-1', metadata: { team: 'ops' } },
    });
    expect(parseInviteInput({ email: 'a@b.test', name: '' })).toEqual({ ok: true, value: { email: 'a@b.test', role: 'member' } });
  });

  it('names the field at fault', () => {
    expect(parseInviteInput({ email: 'nope' })).toMatchObject({ ok: false, fields: { email: expect.stringMatching(/valid email/) } });
    // Any role name Scalekit could hold passes here; whether the organization has it is the catalogue's check.
    expect(parseInviteInput({ email: 'a@b.test', role: 'sales_lead' })).toMatchObject({ ok: true, value: { role: 'sales_lead' } });
    expect(parseInviteInput({ email: 'a@b.test', role: 'root!' })).toMatchObject({
      ok: false,
      fields: { role: 'Role must be a role name: 1 to 64 letters, digits or underscores, such as member.' },
    });
    expect(parseInviteInput({ email: 'a@b.test', externalId: 'has space' })).toMatchObject({
      ok: false,
      fields: { externalId: expect.any(String) },
    });
    expect(
      parseInviteInput({ email: 'a@b.test', metadata: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, 'v'])) }),
    ).toMatchObject({ ok: false, fields: { metadata: expect.stringMatching(/at most 20/) } });
    expect(parseInviteInput({ email: 'a@b.test', admin: true })).toMatchObject({ ok: false, message: 'Unknown field: admin.' });
  });

  it('domainAllowed matches whole domains only', () => {
    expect(domainAllowed('a@globex.test', [])).toBe(true);
    expect(domainAllowed('a@Globex.Test', ['globex.test'])).toBe(true);
    expect(domainAllowed('a@evil-globex.test', ['globex.test'])).toBe(false);
    expect(domainAllowed('a@sub.globex.test', ['globex.test'])).toBe(false);
    // The domain is what follows the last "@": a local part that looks like a domain does not count.
    expect(domainAllowed('globex.test@evil.test', ['globex.test'])).toBe(false);
    expect(domainAllowed('no-at-sign', ['globex.test'])).toBe(false);
  });
});

describe('invite input properties', () => {
  it('any JSON value either parses or yields a clear per-field error, never a throw (≥ 300 inputs)', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.anything(), fc.record({ email: fc.anything(), role: fc.anything(), name: fc.anything() }, { requiredKeys: [] })),
        (input) => {
          const result = parseInviteInput(input);
          if (!result.ok) {
            expect(result.message).toEqual(expect.any(String));
            expect(Object.keys(result.fields).length).toBeGreaterThan(0);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('generated bad emails and roles become a 400 AppError naming the field (≥ 200 inputs)', () => {
    const badEmail = fc.oneof(
      fc.string({ maxLength: 30 }).filter((s) => !s.includes('@')),
      fc.constantFrom('a@', '@b', 'a@@b.test', 'a b@c.test', `${'x'.repeat(260)}@y.test`, 'a@b', ''),
      fc.integer(),
      fc.constant(null),
    );
    // Not a name Scalekit accepts for a role (letters, digits, underscores; 1 to 64).
    const badRole = fc.oneof(
      fc.string({ maxLength: 12 }).filter((s) => !/^[A-Za-z0-9_]{1,64}$/.test(s.trim())),
      fc.constant('x'.repeat(65)),
      fc.integer(),
    );
    fc.assert(
      fc.property(
        fc.oneof(
          badEmail.map((email) => ({ input: { email }, field: 'email' })),
          badRole.map((role) => ({ input: { email: 'ok@x.test', role }, field: 'role' })),
        ),
        ({ input, field }) => {
          let thrown: unknown;
          try {
            validateInvite(input);
          } catch (error) {
            thrown = error;
          }
          expect(thrown).toBeInstanceOf(AppError);
          expect(thrown).toMatchObject({ status: 400, field });
        },
      ),
      { numRuns: 250 },
    );
  });
});
