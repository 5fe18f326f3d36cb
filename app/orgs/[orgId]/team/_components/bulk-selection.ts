/**
 * The attribute on the team table's row checkboxes (members-table.tsx renders them, a server
 * component) that the bulk action bar (bulk-action-bar.tsx, a client component) reads. A plain
 * module: a value exported from a client module is only a reference on the server.
 */
export const MEMBER_CHECKBOX = 'data-bulk-member';
