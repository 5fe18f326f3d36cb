import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { JWK } from 'jose';
import type {
  ApiTokenRecord,
  ConnectionRecord,
  DirectoryRecord,
  DomainRecord,
  MembershipRecord,
  OrganizationClientRecord,
  OrganizationRecord,
  RefreshTokenRecord,
  SessionRecord,
  State,
  UserRecord,
} from './state.js';

// --persist: dev data (users, invitations, sessions, mailbox, signing key)
// survives a restart. Clients, roles and environment settings always come from
// the seed and flags, so editing the seed takes effect on the next start.
//
// The seed's organizations, users and memberships are applied once: the file
// lists the ones already applied (`seeded`), so a restart adds only what the
// seed gained since and never brings back what was removed or changed. A file
// from before that list existed counts as fully seeded.

interface Snapshot {
  version: 1;
  signingKey: JWK;
  organizations: unknown[];
  users: unknown[];
  memberships: unknown[];
  sessions: unknown[];
  refreshTokens: [string, unknown][];
  mailbox: unknown[];
  /** Absent in files written before these services existed: the seed's are kept then. */
  domains?: unknown[];
  connections?: unknown[];
  directories?: unknown[];
  /** Organizations' M2M clients and API keys; absent in older files (none then). Secrets and keys are stored hashed. */
  organizationClients?: unknown[];
  apiTokens?: unknown[];
  /** Seed entities already applied (seedKeys); absent in files written before it existed. */
  seeded?: string[];
}

const orgKey = (id: string) => `organization:${id}`;
const userKey = (id: string) => `user:${id}`;
const membershipKey = (organizationId: string, userId: string) => `membership:${organizationId}:${userId}`;

/** The entities of a state freshly loaded from the seed. */
export function seedKeys(state: State): string[] {
  return [
    ...[...state.organizations.keys()].map(orgKey),
    ...[...state.users.keys()].map(userKey),
    ...[...state.memberships.values()].flatMap((members) => [...members.values()].map((m) => membershipKey(m.organizationId, m.userId))),
  ];
}

const DATE_KEY = /At$/;

/**
 * Replaces the seed-built `state` with the persisted one, then adds the seed entities the file
 * has not seen (their records, and the invitation email of a pending one, from `state`).
 */
export function loadSnapshot(path: string, state: State): { signingKey: JWK; seeded: string[] } | null {
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
  const fromSeed = {
    organizations: state.organizations,
    users: state.users,
    memberships: state.memberships,
    mailbox: state.mailbox,
    resources: [...state.domains.values(), ...state.connections.values(), ...state.directories.values()],
  };
  const seeded = new Set(snap.seeded ?? seedKeys(state));

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
  if (snap.domains) state.domains = new Map((snap.domains as DomainRecord[]).map((d) => [d.id, d]));
  if (snap.connections) state.connections = new Map((snap.connections as ConnectionRecord[]).map((c) => [c.id, c]));
  if (snap.directories) state.directories = new Map((snap.directories as DirectoryRecord[]).map((d) => [d.id, d]));
  state.organizationClients = new Map((snap.organizationClients as OrganizationClientRecord[] | undefined)?.map((c) => [c.id, c]));
  state.apiTokens = new Map((snap.apiTokens as ApiTokenRecord[] | undefined)?.map((t) => [t.id, t]));

  // What the seed gained since the file was written.
  for (const org of fromSeed.organizations.values()) {
    if (seeded.has(orgKey(org.id))) continue;
    seeded.add(orgKey(org.id));
    if (state.organizations.has(org.id)) continue;
    state.organizations.set(org.id, org);
    state.memberships.set(org.id, new Map());
    // A newly seeded organization brings its seeded domains, connection and directories.
    for (const r of fromSeed.resources) {
      if (r.organizationId !== org.id) continue;
      if ('domainType' in r) state.domains.set(r.id, r);
      else if ('users' in r) state.directories.set(r.id, r);
      else state.connections.set(r.id, r);
    }
  }
  for (const user of fromSeed.users.values()) {
    if (seeded.has(userKey(user.id))) continue;
    seeded.add(userKey(user.id));
    if (!state.users.has(user.id) && !state.userByEmail(user.email)) state.putUser(user);
  }
  for (const members of fromSeed.memberships.values()) {
    for (const m of members.values()) {
      const key = membershipKey(m.organizationId, m.userId);
      if (seeded.has(key)) continue;
      seeded.add(key);
      const org = state.memberships.get(m.organizationId);
      if (!org || org.has(m.userId) || state.users.get(m.userId) !== fromSeed.users.get(m.userId)) continue;
      org.set(m.userId, m);
      const user = state.users.get(m.userId)!;
      state.mailbox.push(
        // The link's token is opaque; the subject names the organization (mailer.ts sendInvitation).
        ...fromSeed.mailbox.filter(
          (e) => e.to === user.email && e.code === null && e.subject.includes(` ${state.organizations.get(m.organizationId)?.name} `),
        ),
      );
    }
  }
  return { signingKey: snap.signingKey, seeded: [...seeded] };
}

export class Persister {
  private timer: NodeJS.Timeout | null = null;

  private readonly seeded: Set<string>;

  /** `seeded`: from loadSnapshot; on a first start, everything in the (seed-built) state. */
  constructor(
    private readonly path: string,
    private readonly state: State,
    private readonly signingKey: JWK,
    seeded: string[] = seedKeys(state),
  ) {
    this.seeded = new Set(seeded);
  }

  /** After a reset to the seed: everything in it counts as applied. */
  markSeeded(): void {
    for (const key of seedKeys(this.state)) this.seeded.add(key);
  }

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
      domains: [...s.domains.values()],
      connections: [...s.connections.values()],
      directories: [...s.directories.values()],
      organizationClients: [...s.organizationClients.values()],
      apiTokens: [...s.apiTokens.values()],
      seeded: [...this.seeded],
    };
    const tmp = `${this.path}.tmp`;
    // A fresh clone has no .emulator-data/ yet.
    mkdirSync(dirname(this.path), { recursive: true });
    writeFileSync(tmp, JSON.stringify(snap));
    renameSync(tmp, this.path);
  }
}
