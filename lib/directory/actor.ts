import { systemActor, type Actor } from '@/lib/auth/actor';

/** Who the audit log names for every change directory sync makes (events, reconciles, mapping re-applies). */
export const DIRECTORY_ACTOR_LABEL = 'directory';

export function directoryActor(organizationId: string): Actor {
  return systemActor(DIRECTORY_ACTOR_LABEL, organizationId);
}
