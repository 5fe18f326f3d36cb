'use server';

import { revalidatePath } from 'next/cache';
import { createApiKey, revokeApiKey } from '@/lib/api-keys/service';
import { runAdminAction, type ActionResult } from '../../admin-action';

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

export async function createApiKeyAction(orgId: string, input: CreateApiKeyInput): Promise<ActionResult<{ secret: string; prefix: string }>> {
  return runAdminAction(orgId, async (actor, org) => {
    // Whatever the browser sent is only a claim: lib/api-keys validates every field.
    const body: Partial<Record<keyof CreateApiKeyInput, unknown>> = input && typeof input === 'object' ? input : {};
    const { apiKey, secret } = await createApiKey(actor, org, body.name, { scopes: body.scopes ?? [], expiresAt: body.expiresAt ?? null });
    revalidatePath(`/orgs/${org}/settings/api-keys`);
    revalidatePath(`/orgs/${org}/audit`);
    return { message: `Key "${apiKey.name}" created. Copy it now: it will not be shown again.`, secret, prefix: apiKey.prefix };
  });
}

export async function revokeApiKeyAction(orgId: string, apiKeyId: string): Promise<ActionResult> {
  return runAdminAction(orgId, async (actor, org) => {
    const key = await revokeApiKey(actor, org, String(apiKeyId));
    revalidatePath(`/orgs/${org}/settings/api-keys`);
    revalidatePath(`/orgs/${org}/audit`);
    return { message: `Key "${key.name}" revoked. Requests with it are refused from now on.` };
  });
}
