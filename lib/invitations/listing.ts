import type { Actor } from '@/lib/auth/actor';
import { assertCan } from '@/lib/auth/authorize';
import { db } from '@/lib/db';
import { Prisma, type Membership } from '@/lib/generated/prisma/client';
import { AppError } from '@/lib/errors/app-error';
import { effectiveStatus } from './status';

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
  else if (options.status === 'INVITE_EXPIRED') where.OR = [{ status: 'INVITE_EXPIRED' }, { status: 'PENDING_INVITE', expiresAt: { lte: now } }];
  else if (options.status === 'PENDING_INVITE') where.AND = [{ status: 'PENDING_INVITE' }, { OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] }];
  else where.OR = [{ status: { in: ['PENDING_INVITE', 'INVITE_EXPIRED'] } }, { syncState: { not: 'SYNCED' } }];
  const cursor = decodeCursor(options.cursor);
  if (cursor) {
    where.AND = [
      ...((where.AND as Prisma.MembershipWhereInput[] | undefined) ?? []),
      { OR: [{ createdAt: { lt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { lt: cursor.id } }] },
    ];
  }
  const rows = await db.membership.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: limit + 1 });
  const page = rows.slice(0, limit).map((r) => ({ ...r, status: effectiveStatus(r, now) }));
  const last = page[page.length - 1];
  return { invitations: page, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
}

function encodeCursor(row: Pick<Membership, 'createdAt' | 'id'>): string {
  return Buffer.from(`${row.createdAt.toISOString()}|${row.id}`).toString('base64url');
}

function decodeCursor(cursor: string | null | undefined): { createdAt: Date; id: string } | null {
  if (!cursor) return null;
  const [iso, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(iso ?? '');
  if (!id || Number.isNaN(createdAt.getTime())) throw new AppError('validation_failed', 'The cursor is not valid.', { field: 'cursor' });
  return { createdAt, id };
}
