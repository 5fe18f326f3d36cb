import type { Metadata } from 'next';
import { listApiKeys } from '@/lib/api-keys/service';
import { adminOnlyPage } from '@/components/admins-only';
import { ApiKeysManager } from './api-keys-manager';

export const metadata: Metadata = { title: 'API keys' };

export default adminOnlyPage('api_keys:manage', 'manage API keys', async ({ actor, orgId }) => {
  const keys = await listApiKeys(actor, orgId);
  return (
    <section aria-labelledby="api-keys-heading" className="flex flex-col gap-6">
      <div className="flex flex-col gap-1">
        <h1 id="api-keys-heading" className="text-xl font-semibold tracking-tight">
          API keys
        </h1>
        <p className="text-sm text-muted-foreground">
          Keys let your CRM or HR system invite people through <code>/api/invitations</code>. Each key works for this organization only, can
          do only what its scopes allow — never invite admins or manage keys, settings or members — and stops working when it expires, is
          revoked, or the admin who created it leaves or is demoted.
        </p>
      </div>
      <ApiKeysManager
        orgId={orgId}
        keys={keys.map((k) => ({
          id: k.id,
          name: k.name,
          prefix: k.prefix,
          scopes: k.scopes,
          createdAt: k.createdAt.toISOString(),
          expiresAt: k.expiresAt?.toISOString() ?? null,
          lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
          revokedAt: k.revokedAt?.toISOString() ?? null,
          status: k.status,
        }))}
      />
    </section>
  );
});
