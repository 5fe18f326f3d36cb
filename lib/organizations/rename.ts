import type { Actor } from '@/lib/auth/actor';
import { assertCan } from '@/lib/auth/authorize';
import { recordAudit } from '@/lib/audit/record';
import { db } from '@/lib/db';
import { AppError } from '@/lib/errors/app-error';
import { errorForLog, log } from '@/lib/log';
import { CONTROL_CHARS } from '@/lib/invitations/schemas';
import { TRANSACTION_OPTIONS } from '@/lib/members/service';
import { getScalekit } from '@/lib/scalekit/client';
import { ScalekitCallError } from '@/lib/scalekit/errors';

/** openapi/scalekit.yaml v1organizationsUpdateOrganization.display_name: "Must be between 1 and 200 characters". */
export const MAX_ORGANIZATION_NAME = 200;

export function checkOrganizationName(raw: unknown): string {
  const name = typeof raw === 'string' ? raw.trim().replace(/\s+/g, ' ') : '';
  if (!name) throw new AppError('invalid_input', 'Enter a name for the organization.', { field: 'name' });
  if (name.length > MAX_ORGANIZATION_NAME) {
    throw new AppError('invalid_input', `The name can be at most ${MAX_ORGANIZATION_NAME} characters (it has ${name.length}).`, {
      field: 'name',
    });
  }
  if (CONTROL_CHARS.test(name)) throw new AppError('invalid_input', 'The name cannot contain control characters.', { field: 'name' });
  return name;
}

/**
 * Rename the organization: Scalekit first (UpdateOrganization display_name; it is the source of
 * truth and shows the name on its hosted pages), then the mirror and the audit log in one
 * transaction. A refusal or outage at Scalekit throws before anything here is written. A retry
 * after a crash between the two simply sends the same name again.
 */
export async function renameOrganization(
  actor: Actor,
  organizationId: string,
  rawName: unknown,
): Promise<{ name: string; changed: boolean }> {
  assertCan(actor, organizationId, 'org:settings');
  const name = checkOrganizationName(rawName);
  // Two renames at once must not leave Scalekit with one name and the mirror with the other:
  // each holds this organization's lock from the read to the commit, Scalekit call included.
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`org-profile:${organizationId}`}))`;
    const org = await tx.organization.findUnique({ where: { id: organizationId }, select: { name: true } });
    if (!org) throw new AppError('not_found', 'This organization is not known to Teamgate.');
    if (org.name === name) return { name, changed: false };

    let saved: string;
    try {
      const answer = await getScalekit().organization.updateOrganization(organizationId, { displayName: name });
      saved = answer.organization?.displayName || name;
    } catch (error) {
      log.warn({ err: errorForLog(error), organizationId }, 'scalekit updateOrganization failed');
      const failure = ScalekitCallError.from(error);
      throw new AppError(failure.code, failure.message, { field: 'name', retryable: failure.retryable });
    }
    await tx.organization.update({ where: { id: organizationId }, data: { name: saved } });
    await recordAudit(
      {
        actor,
        organizationId,
        action: 'org.renamed',
        target: { type: 'organization', id: organizationId, label: saved },
        metadata: { from: org.name, to: saved },
      },
      tx,
    );
    return { name: saved, changed: true };
  }, TRANSACTION_OPTIONS);
}
