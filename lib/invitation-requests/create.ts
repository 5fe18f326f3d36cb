import type { Actor } from '@/lib/auth/actor';
import { actorFields, recordAudit } from '@/lib/audit/record';
import { db } from '@/lib/db';
import { Prisma, type InvitationRequest, type InvitationRequestSource } from '@/lib/generated/prisma/client';

/**
 * Opening an invitation request: the one way a request comes to exist, whichever path asked for
 * it (a member's request, an invitation a rule held, a verified-domain user asking to join). All
 * of them land in one queue that admins decide on.
 *
 * At most one PENDING request per (organization, email): the unique index on
 * (organizationId, pendingEmail) makes a second one a conflict, answered with the request already
 * waiting, so a retried form post or a re-run bulk row never queues the same person twice.
 */

export type RequestOrigin = 'form' | 'bulk' | 'api' | 'directory' | 'domain';

export interface NewInvitationRequest {
  organizationId: string;
  /** Lower-cased, already validated */
  email: string;
  name?: string | null;
  role: string;
  reason?: string | null;
  source: InvitationRequestSource;
  origin: RequestOrigin;
  /** RULE: the rule that held the invitation, and its wording as the admin reads it */
  rule?: { id: string; description: string } | null;
  bulkJobId?: string | null;
}

export interface OpenedRequest {
  request: InvitationRequest;
  /** false when a pending request for this email already existed (it is returned unchanged) */
  created: boolean;
}

type Client = Pick<Prisma.TransactionClient, 'invitationRequest' | 'auditEvent'>;

export async function openInvitationRequest(actor: Actor, input: NewInvitationRequest, client: Client = db): Promise<OpenedRequest> {
  const who = actorFields(actor);
  const email = input.email.toLowerCase();
  try {
    const request = await client.invitationRequest.create({
      data: {
        organizationId: input.organizationId,
        email,
        pendingEmail: email,
        name: input.name ?? null,
        role: input.role,
        reason: input.reason ?? null,
        source: input.source,
        origin: input.origin,
        requestedByUserId: actor.kind === 'user' ? actor.userId : null,
        requestedByLabel: who.actorLabel,
        ruleId: input.rule?.id ?? null,
        ruleDescription: input.rule?.description ?? null,
        bulkJobId: input.bulkJobId ?? null,
      },
    });
    await recordAudit(
      {
        actor,
        organizationId: input.organizationId,
        action: 'request.created',
        target: { type: 'invitation_request', id: request.id, label: email },
        metadata: { source: input.source, origin: input.origin, role: input.role, ...(input.rule ? { rule: input.rule.description } : {}) },
      },
      client,
    );
    return { request, created: true };
  } catch (error) {
    if (!(error instanceof Prisma.PrismaClientKnownRequestError) || error.code !== 'P2002') throw error;
    const existing = await client.invitationRequest.findUnique({
      where: { organizationId_pendingEmail: { organizationId: input.organizationId, pendingEmail: email } },
    });
    // Decided between the insert and this read: the caller's retry opens a fresh one.
    if (!existing) throw error;
    return { request: existing, created: false };
  }
}
