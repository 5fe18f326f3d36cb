import { z } from 'zod';
import type { Actor } from '@/lib/auth/actor';
import { assertCan } from '@/lib/auth/authorize';
import { db } from '@/lib/db';
import { Prisma, type Membership } from '@/lib/generated/prisma/client';
import { AppError } from '@/lib/errors/app-error';
import { effectiveStatus } from '@/lib/members/status';
import { decodeCursor, keysetPage, keysetWhere } from '@/lib/pagination/keyset';
import { EMAIL_MAX, externalIdSchema, roleSchema } from './schemas';

/**
 * The invitations API's reads: the filtered, keyset-paginated list and one invitation by id.
 *
 * "An invitation" is a membership row that is one now (pending, expired, or not yet at Scalekit)
 * or was one: a row the mirror holds with `invitedAt` set that has since become ACTIVE is an
 * accepted invitation (Scalekit keeps the membership's invite time; lib/webhooks/membership-events.ts
 * never clears it on acceptance). A member who joined without an invitation (SSO, domain join)
 * has no `invitedAt` and is not an invitation, so the invitations scope never reads the team.
 */

export const INVITATION_STATUSES = ['PENDING_INVITE', 'INVITE_EXPIRED', 'FAILED', 'ACCEPTED'] as const;
export type InvitationStatusFilter = (typeof INVITATION_STATUSES)[number];

const LIMIT_MESSAGE = 'limit must be a number from 1 to 100.';

function isoInstant(name: string) {
  return z.iso.datetime({
    offset: true,
    error: `${name} must be an ISO 8601 date-time with a time zone, like 2026-01-31T09:00:00Z.`,
  });
}

/**
 * The query string of GET /api/invitations, parsed by the route (lib/http/org-route.ts) and
 * published as its parameters in the OpenAPI document (lib/openapi/operations/invitations.ts):
 * one schema, so the document cannot promise a parameter the route refuses.
 */
export const listInvitationsQuery = z
  .object({
    status: z.enum(INVITATION_STATUSES, { error: `status must be one of ${INVITATION_STATUSES.join(', ')}.` }).optional(),
    email: z
      .string()
      .trim()
      .toLowerCase()
      .max(EMAIL_MAX, `email has at most ${EMAIL_MAX} characters.`)
      .pipe(z.email({ error: 'email must be a whole address, like grace@acme.test (use emailPrefix to match the start of addresses).' }))
      .optional(),
    emailPrefix: z
      .string()
      .trim()
      .toLowerCase()
      .min(1, 'emailPrefix must not be empty.')
      .max(EMAIL_MAX, `emailPrefix has at most ${EMAIL_MAX} characters.`)
      .optional(),
    role: roleSchema.optional(),
    externalId: externalIdSchema.optional(),
    createdAfter: isoInstant('createdAfter').optional(),
    createdBefore: isoInstant('createdBefore').optional(),
    cursor: z.string().max(200, 'The cursor is not valid.').optional(),
    limit: z.coerce.number({ error: LIMIT_MESSAGE }).int(LIMIT_MESSAGE).min(1, LIMIT_MESSAGE).max(100, LIMIT_MESSAGE).optional(),
  })
  .strict()
  .refine((q) => !(q.email && q.emailPrefix), { message: 'Give email or emailPrefix, not both.', path: ['emailPrefix'] })
  .refine((q) => !(q.createdAfter && q.createdBefore && Date.parse(q.createdAfter) >= Date.parse(q.createdBefore)), {
    message: 'createdAfter must be earlier than createdBefore.',
    path: ['createdAfter'],
  });

export type ListInvitationsQuery = z.output<typeof listInvitationsQuery>;

export interface ListInvitationsOptions {
  status?: InvitationStatusFilter;
  /** Exact address (lower-cased). */
  email?: string;
  /** The start of the address (lower-cased). */
  emailPrefix?: string;
  role?: string;
  externalId?: string;
  /** ISO instants, exclusive: createdAt > createdAfter and createdAt < createdBefore. */
  createdAfter?: string | Date;
  createdBefore?: string | Date;
  cursor?: string | null;
  limit?: number;
}

export interface InvitationPage {
  invitations: Membership[];
  nextCursor: string | null;
}

/** Rows that are or were invitations (see the file comment). */
const INVITATION_ROWS: Prisma.MembershipWhereInput = {
  OR: [
    { status: { in: ['PENDING_INVITE', 'INVITE_EXPIRED'] } },
    { syncState: { not: 'SYNCED' } },
    { status: 'ACTIVE', invitedAt: { not: null } },
  ],
};

function statusWhere(status: InvitationStatusFilter | undefined, now: Date): Prisma.MembershipWhereInput {
  switch (status) {
    case 'FAILED':
      return { syncState: { in: ['FAILED', 'SENDING'] } };
    case 'INVITE_EXPIRED':
      return { OR: [{ status: 'INVITE_EXPIRED' }, { status: 'PENDING_INVITE', expiresAt: { lte: now } }] };
    case 'PENDING_INVITE':
      return { status: 'PENDING_INVITE', OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] };
    case 'ACCEPTED':
      return { status: 'ACTIVE', invitedAt: { not: null }, syncState: 'SYNCED' };
    default:
      // Without a status: what is still open (pending, expired, failed), as before filters existed.
      return { OR: [{ status: { in: ['PENDING_INVITE', 'INVITE_EXPIRED'] } }, { syncState: { not: 'SYNCED' } }] };
  }
}

/** Escape LIKE's wildcards so a prefix with `_` or `%` matches those characters literally. */
function likePrefix(prefix: string): string {
  return prefix.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function instant(value: string | Date, field: string): Date {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) throw new AppError('validation_failed', `${field} is not a valid date-time.`, { field });
  return date;
}

/**
 * Invitations, newest first, keyset-paginated on (createdAt, id). Every filter narrows the same
 * ordered range, so a cursor from one page stays valid for the next with the same filters.
 */
export async function listInvitations(actor: Actor, organizationId: string, options: ListInvitationsOptions = {}): Promise<InvitationPage> {
  assertCan(actor, organizationId, 'invitations:read');
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 100);
  const now = new Date();
  const and: Prisma.MembershipWhereInput[] = [statusWhere(options.status, now)];
  if (options.email) and.push({ email: options.email.toLowerCase() });
  // Prisma passes startsWith to LIKE unescaped (prisma/prisma#19506): `_` would match any character.
  if (options.emailPrefix) and.push({ email: { startsWith: likePrefix(options.emailPrefix.toLowerCase()) } });
  if (options.role) and.push({ role: options.role });
  if (options.externalId) and.push({ externalId: options.externalId });
  if (options.createdAfter) and.push({ createdAt: { gt: instant(options.createdAfter, 'createdAfter') } });
  if (options.createdBefore) and.push({ createdAt: { lt: instant(options.createdBefore, 'createdBefore') } });
  const cursor = options.cursor ? decodeCursor(options.cursor) : null;
  if (options.cursor && !cursor) throw new AppError('validation_failed', 'The cursor is not valid.', { field: 'cursor' });
  const keyset = keysetWhere(cursor);
  if (keyset.where) and.push(keyset.where);

  const rows = await db.membership.findMany({ where: { organizationId, AND: and }, orderBy: keyset.orderBy, take: limit + 1 });
  const page = keysetPage(rows, limit, cursor);
  return { invitations: page.rows.map((r) => ({ ...r, status: effectiveStatus(r, now) })), nextCursor: page.nextCursor };
}

/**
 * One invitation of this organization by id, whatever it has become (pending, expired, failed,
 * accepted). Unknown ids, ids of another organization and members who were never invited are all
 * the same 404, so nobody learns what exists elsewhere.
 */
export async function getInvitation(actor: Actor, organizationId: string, id: string): Promise<Membership> {
  assertCan(actor, organizationId, 'invitations:read');
  const now = new Date();
  const row =
    typeof id === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(id)
      ? await db.membership.findFirst({ where: { id, organizationId, AND: [INVITATION_ROWS] } })
      : null;
  if (!row) throw new AppError('invitation_not_found');
  return { ...row, status: effectiveStatus(row, now) };
}
