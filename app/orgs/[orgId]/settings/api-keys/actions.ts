'use server';

import { revalidatePath } from 'next/cache';
import { createApiKey, revokeApiKey } from '@/lib/api-keys/service';
import { runAdminAction, type ActionResult } from '../../admin-action';

/**
 * Create and revoke the organization's API keys. The new key's secret is returned to the
 * browser exactly once, in this action's result, and never stored or logged.
 */

export async function createApiKeyAction(orgId: string, name: string): Promise<ActionResult<{ secret: string; prefix: string }>> {
  return runAdminAction(orgId, async (actor, org) => {
    const { apiKey, secret } = await createApiKey(actor, org, name);
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
