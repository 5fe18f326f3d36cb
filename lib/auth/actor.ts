import type { Role } from '@/lib/auth/permissions';

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
      role: Role;
      sessionId: string;
      request?: RequestMeta;
    }
  | {
      kind: 'api_key';
      apiKeyId: string;
      /** Key name, for the audit log */
      label: string;
      organizationId: string;
      /** API keys act with admin rights inside their own organization only */
      role: 'admin';
      request?: RequestMeta;
    }
  | {
      kind: 'system';
      /** e.g. "webhook", "resync", "seed" */
      label: string;
      organizationId: string;
      role: 'admin';
      request?: RequestMeta;
    };

export interface RequestMeta {
  ip?: string | null;
  userAgent?: string | null;
  requestId?: string | null;
}
