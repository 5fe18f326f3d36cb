/**
 * HOOK for a group → role mapping (issue 12 item 2: "directory groups map to roles"). When the
 * organization maps directory groups to roles, that mapping decides a picked person's role and
 * wins over the admin's choice for the selection; a person it does not map gets that choice (or
 * the organization's default role).
 *
 * Until a mapping exists this maps nobody. To plug one in, make directoryRoleFor read the
 * organization's mapping once and return a function of the person's directory groups.
 */
export type DirectoryRoleMapping = (user: { id: string; groupIds: string[] }) => string | null;

export async function directoryRoleFor(organizationId: string): Promise<DirectoryRoleMapping> {
  void organizationId;
  return () => null;
}
