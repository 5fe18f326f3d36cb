import { describeAbilities } from '@/lib/auth/permissions';

/** A role as the pickers show it (invite form, row menu, filter): no permissions, only what they mean. */
export interface RoleOption {
  name: string;
  displayName: string;
  /** What a holder can do, in a sentence */
  summary: string;
}

export function roleOption(role: {
  name: string;
  displayName: string;
  description: string | null;
  permissions: readonly string[];
  permissionsKnown: boolean;
}): RoleOption {
  const summary = role.permissionsKnown ? describeAbilities(role.permissions) : role.description || 'Its permissions are set in Scalekit.';
  return { name: role.name, displayName: role.displayName, summary };
}
