import type { Actor } from '@/lib/auth/actor';
import { assertCan } from '@/lib/auth/authorize';
import { db } from '@/lib/db';
import { Prisma, type Membership } from '@/lib/generated/prisma/client';
import { AppError } from '@/lib/errors/app-error';
import { effectiveStatus } from '@/lib/members/status';
import { decodeCursor, keysetPage, keysetWhere } from '@/lib/pagination/keyset';

export interface ListInvitationsOptions {
  status?: 'PENDING_INVITE' | 'INVITE_EXPIRED' | 'FAILED';
  cursor?: string | null;
  limit?: number;
}

export interface InvitationPage {
  invitations: Membership[];
  nextCursor: string | null;
}

/** Pending, expired and failed invitations, newest first, keyset-paginated on (createdAt, id). */
export async function listInvitations(actor: Actor, organizationId: string, options: ListInvitationsOptions = {}): Promise<InvitationPage> {
  assertCan(actor, organizationId, 'invitations:read');
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 100);
  const now = new Date();
  const where: Prisma.MembershipWhereInput = { organizationId };
  if (options.status === 'FAILED') where.syncState = { in: ['FAILED', 'SENDING'] };
  else if (options.status === 'INVITE_EXPIRED')
    where.OR = [{ status: 'INVITE_EXPIRED' }, { status: 'PENDING_INVITE', expiresAt: { lte: now } }];
  else if (options.status === 'PENDING_INVITE')
    where.AND = [{ status: 'PENDING_INVITE' }, { OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] }];
  else where.OR = [{ status: { in: ['PENDING_INVITE', 'INVITE_EXPIRED'] } }, { syncState: { not: 'SYNCED' } }];
  const cursor = options.cursor ? decodeCursor(options.cursor) : null;
  if (options.cursor && !cursor) throw new AppError('validation_failed', 'The cursor is not valid.', { field: 'cursor' });
  const keyset = keysetWhere(cursor);
  if (keyset.where) where.AND = [...((where.AND as Prisma.MembershipWhereInput[] | undefined) ?? []), keyset.where];
  const rows = await db.membership.findMany({ where, orderBy: keyset.orderBy, take: limit + 1 });
  const page = keysetPage(rows, limit, cursor);
  return { invitations: page.rows.map((r) => ({ ...r, status: effectiveStatus(r, now) })), nextCursor: page.nextCursor };
}
