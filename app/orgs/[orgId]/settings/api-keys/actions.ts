'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { createApiKey, revokeApiKey } from '@/lib/api-keys/service';
import { adminAction, orgIdSchema, rowIdSchema, type ActionResult } from '../../admin-action';

/**
 * Create and revoke the organization's API keys. The new key's secret is returned to the
 * browser exactly once, in this action's result, and never stored or logged.
 */

export interface CreateApiKeyInput {
  name: string;
  scopes: string[];
  /** ISO 8601; null or empty for a key that does not expire */
  expiresAt: string | null;
}

// Whatever the browser sent is only a claim: lib/api-keys validates every field (with its own messages).
const createInput = z.object({ orgId: orgIdSchema, input: z.unknown() });

const create = adminAction('api_keys:manage', createInput, async ({ orgId, input }, actor) => {
  const body: Partial<Record<keyof CreateApiKeyInput, unknown>> = input && typeof input === 'object' ? input : {};
  const { apiKey, secret } = await createApiKey(actor, orgId, body.name, { scopes: body.scopes ?? [], expiresAt: body.expiresAt ?? null });
  revalidatePath(`/orgs/${orgId}/settings/api-keys`);
  revalidatePath(`/orgs/${orgId}/audit`);
  return { message: `Key "${apiKey.name}" created. Copy it now: it will not be shown again.`, secret, prefix: apiKey.prefix };
});

export async function createApiKeyAction(
  orgId: string,
  input: CreateApiKeyInput,
): Promise<ActionResult<{ secret: string; prefix: string }>> {
  return create({ orgId, input });
}

const revoke = adminAction(
  'api_keys:manage',
  z.object({ orgId: orgIdSchema, apiKeyId: rowIdSchema('That API key does not exist in this organization.') }),
  async ({ orgId, apiKeyId }, actor) => {
    const key = await revokeApiKey(actor, orgId, apiKeyId);
    revalidatePath(`/orgs/${orgId}/settings/api-keys`);
    revalidatePath(`/orgs/${orgId}/audit`);
    return { message: `Key "${key.name}" revoked. Requests with it are refused from now on.` };
  },
);

export async function revokeApiKeyAction(orgId: string, apiKeyId: string): Promise<ActionResult> {
  return revoke({ orgId, apiKeyId });
}
