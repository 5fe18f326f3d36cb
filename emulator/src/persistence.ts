import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { JWK } from 'jose';
import type { MembershipRecord, OrganizationRecord, RefreshTokenRecord, SessionRecord, State, UserRecord } from './state.js';

// --persist: dev data (users, invitations, sessions, mailbox, signing key)
// survives a restart. Clients, roles and environment settings always come from
// the seed and flags, so editing the seed takes effect on the next start.

interface Snapshot {
  version: 1;
  signingKey: JWK;
  organizations: unknown[];
  users: unknown[];
  memberships: unknown[];
  sessions: unknown[];
  refreshTokens: [string, unknown][];
  mailbox: unknown[];
}

const DATE_KEY = /At$/;

export function loadSnapshot(path: string, state: State): { signingKey: JWK } | null {
  if (!existsSync(path)) return null;
  let snap: Snapshot;
  try {
    snap = JSON.parse(readFileSync(path, 'utf8'), (key, value) =>
      DATE_KEY.test(key) && typeof value === 'string' && key !== 'sentAt' ? new Date(value) : value,
    );
  } catch (error) {
    throw new Error(`Cannot read emulator state ${path}: ${(error as Error).message} (delete the file to start from the seed)`);
  }
  if (snap.version !== 1) throw new Error(`Emulator state ${path} has an unknown format; delete it to start from the seed`);
  state.organizations = new Map((snap.organizations as OrganizationRecord[]).map((o) => [o.id, o]));
  state.users = new Map();
  state.usersByEmail = new Map();
  for (const u of snap.users as UserRecord[]) state.putUser(u);
  state.memberships = new Map([...state.organizations.keys()].map((id) => [id, new Map()]));
  for (const m of snap.memberships as MembershipRecord[]) {
    state.memberships.get(m.organizationId)?.set(m.userId, m);
  }
  state.sessions = new Map((snap.sessions as SessionRecord[]).map((s) => [s.id, s]));
  state.refreshTokens = new Map(snap.refreshTokens as [string, RefreshTokenRecord][]);
  state.mailbox = snap.mailbox as State['mailbox'];
  return { signingKey: snap.signingKey };
}

export class Persister {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly path: string,
    private readonly state: State,
    private readonly signingKey: JWK,
  ) {}

  /** Coalesces bursts of changes (a bulk invite) into one write. */
  schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => this.flush(), 200);
    this.timer.unref();
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const s = this.state;
    const snap: Snapshot = {
      version: 1,
      signingKey: this.signingKey,
      organizations: [...s.organizations.values()],
      users: [...s.users.values()],
      memberships: [...s.memberships.values()].flatMap((m) => [...m.values()]),
      sessions: [...s.sessions.values()],
      refreshTokens: [...s.refreshTokens.entries()],
      mailbox: s.mailbox,
    };
    const tmp = `${this.path}.tmp`;
    // A fresh clone has no .emulator-data/ yet.
    mkdirSync(dirname(this.path), { recursive: true });
    writeFileSync(tmp, JSON.stringify(snap));
    renameSync(tmp, this.path);
  }
}
