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
