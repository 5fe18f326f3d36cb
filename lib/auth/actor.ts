import { SCALEKIT_PERMISSIONS, type ApiKeyScope, type GrantedPermission } from '@/lib/auth/permissions';

/**
 * Who is performing an action, resolved on the server by a guard (session
 * cookie + database, or API key). Services take an Actor and check it with
 * lib/auth/authorize.ts; they never accept a role or org id from the client.
 */
export type Actor =
  | {
      kind: 'user';
      userId: string;
      email: string;
      name: string | null;
      /** The organization the actor's role below belongs to */
      organizationId: string;
      /** Scalekit role name, for the audit log and the UI; decisions use `permissions` */
      role: string;
      /** What the role grants in Teamgate (Membership.permissions) */
      permissions: readonly GrantedPermission[];
      sessionId: string;
      request?: RequestMeta;
    }
  | {
      kind: 'api_key';
      apiKeyId: string;
      /** Key name, for the audit log */
      label: string;
      organizationId: string;
      /**
       * What the key may do, inside its own organization only. A key has no role on purpose:
       * lib/auth/authorize.ts decides by these scopes, and no scope grants admin powers.
       */
      scopes: readonly ApiKeyScope[];
      role?: never;
      permissions?: never;
      request?: RequestMeta;
    }
  | {
      kind: 'system';
      /** e.g. "webhook", "resync", "seed" */
      label: string;
      organizationId: string;
      role: 'admin';
      /** Every permission: Scalekit itself (webhooks), the seed and resyncs act with full authority */
      permissions: readonly GrantedPermission[];
      request?: RequestMeta;
    };

export interface RequestMeta {
  ip?: string | null;
  userAgent?: string | null;
  requestId?: string | null;
}

/** Scalekit (webhooks), resyncs and the seed: they act with every permission. */
export function systemActor(label: string, organizationId: string, request?: RequestMeta): Actor {
  return { kind: 'system', label, organizationId, role: 'admin', permissions: SCALEKIT_PERMISSIONS, ...(request ? { request } : {}) };
}
