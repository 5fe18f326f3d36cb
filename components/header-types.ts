/**
 * What the site header needs to know about the signed-in user. Plain serialisable data only:
 * these objects cross into client components, so they must never carry tokens or session ids.
 */
export type HeaderUser = {
  name?: string | null;
  email: string;
};

export type HeaderOrg = {
  id: string;
  name: string;
  /** The user's role in this organization, e.g. "admin". */
  role?: string;
  /** Where its uploaded logo is served (members only), when it has one. */
  logoUrl?: string | null;
};

/** An organization that has invited the signed-in user; the switcher offers to join it. */
export type HeaderInvitation = {
  id: string;
  name: string;
};

/** An organization whose verified domain matches the user's address and takes requests to join. */
export type HeaderJoinSuggestion = {
  id: string;
  name: string;
  /** The user's request is waiting for an admin */
  requested: boolean;
};

/** The server action behind "Request to join" (app/account/join-request-action.ts). */
export type RequestJoinAction = (organizationId: string) => Promise<{ ok: true; message: string } | { ok: false; error: string }>;
