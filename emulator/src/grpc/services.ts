import { Code, ConnectError, type ConnectRouter, type HandlerContext } from '@connectrpc/connect';
import type { DescService } from '@bufbuild/protobuf';
import { ErrorInfoSchema } from '@scalekit-sdk/node/lib/pkg/grpc/scalekit/v1/errdetails/errdetails_pb.js';
import { UserService } from '@scalekit-sdk/node/lib/pkg/grpc/scalekit/v1/users/users_pb.js';
import { OrganizationService } from '@scalekit-sdk/node/lib/pkg/grpc/scalekit/v1/organizations/organizations_pb.js';
import { RolesService } from '@scalekit-sdk/node/lib/pkg/grpc/scalekit/v1/roles/roles_pb.js';
import { SessionService } from '@scalekit-sdk/node/lib/pkg/grpc/scalekit/v1/sessions/sessions_pb.js';
import { DomainService } from '@scalekit-sdk/node/lib/pkg/grpc/scalekit/v1/domains/domains_pb.js';
import { DirectoryService } from '@scalekit-sdk/node/lib/pkg/grpc/scalekit/v1/directories/directories_pb.js';
import { ConnectionService } from '@scalekit-sdk/node/lib/pkg/grpc/scalekit/v1/connections/connections_pb.js';
import { PasswordlessService } from '@scalekit-sdk/node/lib/pkg/grpc/scalekit/v1/auth/passwordless_pb.js';
import { ClientService } from '@scalekit-sdk/node/lib/pkg/grpc/scalekit/v1/clients/clients_pb.js';
import { ApiTokenService } from '@scalekit-sdk/node/lib/pkg/grpc/scalekit/v1/tokens/tokens_pb.js';
import * as directory from '../directory.js';
import { EmulatorError, invalid, notFound } from '../errors.js';
import type { Directory, UserRef } from '../directory.js';
import * as convert from './convert.js';
import { registerConnectionService } from './connections.js';
import { registerDirectoryService } from './directories.js';
import { registerDomainService } from './domains.js';
import { registerPasswordlessService } from './passwordless.js';
import { registerOrganizationService } from './organizations.js';
import { registerOrganizationClients } from './m2m-clients.js';
import { registerApiTokenService } from './api-tokens.js';
import { registerRolesService } from './roles.js';

/** The services served over h2c gRPC, straight from the SDK's generated descriptors. */
export const SERVICES: DescService[] = [
  UserService,
  OrganizationService,
  RolesService,
  SessionService,
  DomainService,
  DirectoryService,
  ConnectionService,
  PasswordlessService,
  ClientService,
  ApiTokenService,
];

export function rpcPaths(): string[] {
  return SERVICES.flatMap((s) => s.methods.map((m) => `${s.typeName}/${m.name}`));
}

const CODE_OF: Record<EmulatorError['kind'], Code> = {
  INVALID_ARGUMENT: Code.InvalidArgument,
  NOT_FOUND: Code.NotFound,
  ALREADY_EXISTS: Code.AlreadyExists,
  FAILED_PRECONDITION: Code.FailedPrecondition,
  PERMISSION_DENIED: Code.PermissionDenied,
  RESOURCE_EXHAUSTED: Code.ResourceExhausted,
};

/** ErrorInfo in the status details is where the SDK reads `errorCode` (lib/errors). */
function toConnectError(error: unknown): unknown {
  if (error instanceof EmulatorError) {
    return new ConnectError(error.message, CODE_OF[error.kind], undefined, [
      { desc: ErrorInfoSchema, value: { errorCode: error.errorCode } },
    ]);
  }
  return error;
}

/**
 * Any unary handler: `never` as the request type lets every concrete handler
 * (whose request is a specific generated message) satisfy the constraint, while
 * the handlers' parameters are still typed from `router.service`'s ServiceImpl.
 */
type AnyImpl = Record<string, (req: never, ctx: HandlerContext) => unknown>;

export function guarded<T extends AnyImpl>(impl: T): T {
  const wrapped: AnyImpl = {};
  for (const [name, fn] of Object.entries(impl)) {
    wrapped[name] = async (req, ctx) => {
      try {
        return await fn(req, ctx);
      } catch (error) {
        throw toConnectError(error);
      }
    };
  }
  return wrapped as T;
}

const ref = (identities: { case?: string; value?: string }): UserRef =>
  identities.case === 'id' || identities.case === 'externalId'
    ? { case: identities.case, value: identities.value ?? '' }
    : { case: undefined };

export function registerServices(router: ConnectRouter, dir: Directory): void {
  const { state } = dir;
  registerDomainService(router, dir);
  registerDirectoryService(router, dir);
  registerConnectionService(router, dir);
  registerPasswordlessService(router, dir);
  registerOrganizationService(router, dir);
  registerOrganizationClients(router, dir);
  registerApiTokenService(router, dir);
  const userOut = (u: Parameters<typeof convert.user>[1]) => convert.user(state, u);

  router.service(
    UserService,
    guarded({
      async getUser(req) {
        return { user: userOut(directory.requireUser(state, ref(req.identities))) };
      },
      async listUsers(req) {
        const page = directory.paginate([...state.users.values()], req.pageSize, req.pageToken, 'users');
        return {
          users: page.items.map(userOut),
          nextPageToken: page.nextPageToken,
          prevPageToken: page.prevPageToken,
          totalSize: page.totalSize,
        };
      },
      async searchUsers(req) {
        if (!req.query.trim()) throw invalid('INVALID_QUERY', 'query is required');
        const found = [...state.users.values()].filter((u) => directory.matchesQuery(u, req.query));
        const page = directory.paginate(found, req.pageSize, req.pageToken, `users?q=${req.query}`);
        return {
          users: page.items.map(userOut),
          nextPageToken: page.nextPageToken,
          prevPageToken: page.prevPageToken,
          totalSize: page.totalSize,
        };
      },
      async listOrganizationUsers(req) {
        directory.requireOrganization(state, req.organizationId);
        const members = [...state.memberships.get(req.organizationId)!.keys()];
        const page = directory.paginate(members, req.pageSize, req.pageToken, `org-users:${req.organizationId}`);
        return {
          users: page.items.map((id) => userOut(state.users.get(id)!)),
          nextPageToken: page.nextPageToken,
          prevPageToken: page.prevPageToken,
          totalSize: page.totalSize,
        };
      },
      async searchOrganizationUsers(req) {
        directory.requireOrganization(state, req.organizationId);
        if (!req.query.trim()) throw invalid('INVALID_QUERY', 'query is required');
        const found = [...state.memberships.get(req.organizationId)!.keys()]
          .map((id) => state.users.get(id)!)
          .filter((u) => directory.matchesQuery(u, req.query));
        const page = directory.paginate(found, req.pageSize, req.pageToken, `org-users:${req.organizationId}?q=${req.query}`);
        return {
          users: page.items.map(userOut),
          nextPageToken: page.nextPageToken,
          prevPageToken: page.prevPageToken,
          totalSize: page.totalSize,
        };
      },
      async createUserAndMembership(req) {
        if (!req.user) throw invalid('INVALID_EMAIL', 'user is required');
        const profile = req.user.userProfile;
        const created = directory.createUserAndMembership(dir, {
          organizationId: req.organizationId,
          email: req.user.email,
          externalId: req.user.externalId,
          firstName: profile?.firstName || profile?.givenName || undefined,
          lastName: profile?.lastName || profile?.familyName || undefined,
          userMetadata: req.user.metadata,
          roles: (req.user.membership?.roles ?? []).map((r: { name: string }) => r.name),
          metadata: req.user.membership?.metadata ?? {},
          inviterEmail: req.user.membership?.inviterEmail || null,
          sendInvitationEmail: req.sendInvitationEmail,
        });
        return { user: userOut(created) };
      },
      async createMembership(req) {
        const u = directory.createMembership(dir, req.organizationId, ref(req.identities), {
          roles: (req.membership?.roles ?? []).map((r: { name: string }) => r.name),
          metadata: req.membership?.metadata ?? {},
          inviterEmail: req.membership?.inviterEmail || null,
          sendInvitationEmail: req.sendInvitationEmail,
        });
        return { user: userOut(u) };
      },
      async updateMembership(req) {
        const u = directory.updateMembership(
          dir,
          req.organizationId,
          ref(req.identities),
          (req.membership?.roles ?? []).map((r: { name: string }) => r.name),
          req.membership?.metadata ?? {},
        );
        return { user: userOut(u) };
      },
      async deleteMembership(req) {
        // `cascade` changes nothing: Scalekit deletes a user with their last membership (directory.ts).
        directory.removeMembership(dir, req.organizationId, ref(req.identities));
        return {};
      },
      async updateUser(req) {
        const p = req.user?.userProfile;
        // openapi/scalekit.yaml usersUpdateUserProfile: first_name / last_name "Maximum 200
        // characters", given_name / family_name "Maximum 255 characters allowed".
        for (const [field, value, max] of [
          ['first_name', p?.firstName, 200],
          ['last_name', p?.lastName, 200],
          ['given_name', p?.givenName, 255],
          ['family_name', p?.familyName, 255],
        ] as const) {
          if (value !== undefined && value.length > max) throw invalid('INVALID_USER_PROFILE', `${field} is longer than ${max} characters`);
        }
        const u = directory.updateUser(dir, ref(req.identities), {
          externalId: req.user?.externalId,
          firstName: p?.firstName ?? p?.givenName,
          lastName: p?.lastName ?? p?.familyName,
          metadata: req.user?.metadata ?? {},
        });
        return { user: userOut(u) };
      },
      async deleteUser(req) {
        directory.deleteUser(dir, ref(req.identities));
        return {};
      },
      async resendInvite(req) {
        const m = directory.resendInvite(dir, req.organizationId, req.id);
        return {
          invite: {
            organizationId: m.organizationId,
            userId: m.userId,
            inviterEmail: m.inviterEmail ?? undefined,
            status: 'PENDING_INVITE',
            createdAt: convert.ts(m.createdAt),
            expiresAt: convert.ts(m.expiresAt),
            resentAt: convert.ts(m.resentAt),
            resentCount: m.resentCount,
          },
        };
      },
      async listUserRoles(req) {
        directory.requireOrganization(state, req.organizationId);
        directory.requireUser(state, { case: 'id', value: req.userId });
        const m = directory.requireMembership(state, req.organizationId, req.userId);
        return { roles: m.roles.map((r) => convert.commonsRole(state, r)) };
      },
      async assignUserRoles(req) {
        const current = directory.requireMembership(state, directory.requireOrganization(state, req.organizationId).id, req.userId).roles;
        const names = req.roles.map((r: { roleName: string; id: string }) => r.roleName || r.id.replace(/^role_/, ''));
        if (!names.length) throw invalid('INVALID_ROLE', 'roles is required');
        const m = directory.setRoles(dir, req.organizationId, req.userId, [...current, ...names]);
        return { roles: m.roles.map((r) => convert.commonsRole(state, r)) };
      },
      async removeUserRole(req) {
        const current = directory.requireMembership(state, directory.requireOrganization(state, req.organizationId).id, req.userId).roles;
        if (!current.includes(req.roleName)) throw notFound('ROLE_NOT_ASSIGNED', `user ${req.userId} does not have role "${req.roleName}"`);
        directory.setRoles(
          dir,
          req.organizationId,
          req.userId,
          current.filter((r) => r !== req.roleName),
        );
        return {};
      },
      async listUserPermissions(req) {
        const m = directory.requireMembership(state, directory.requireOrganization(state, req.organizationId).id, req.userId);
        return { permissions: state.permissionsFor(m.roles).map((name) => ({ id: `perm_${name}`, name, description: '', tags: [] })) };
      },
    }),
  );

  registerRolesService(router, dir, guarded);

  router.service(
    SessionService,
    guarded({
      async getSession(req) {
        const s = state.sessions.get(req.sessionId);
        if (!s) throw notFound('SESSION_NOT_FOUND', `session ${req.sessionId} not found`);
        return convert.sessionDetails(s);
      },
      async getUserSessions(req) {
        directory.requireUser(state, { case: 'id', value: req.userId });
        const wanted = new Set<string>((req.filter?.status ?? []).map((s: string) => s.toUpperCase()));
        const sessions = [...state.sessions.values()]
          .filter((s) => s.userId === req.userId)
          .filter((s) => !wanted.size || wanted.has(convert.sessionStatus(s)))
          .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
        const page = directory.paginate(sessions, req.pageSize, req.pageToken, `sessions:${req.userId}:${[...wanted].join(',')}`);
        return {
          sessions: page.items.map(convert.sessionDetails),
          nextPageToken: page.nextPageToken,
          prevPageToken: page.prevPageToken,
          totalSize: page.totalSize,
        };
      },
      async revokeSession(req) {
        const s = state.sessions.get(req.sessionId);
        if (!s) throw notFound('SESSION_NOT_FOUND', `session ${req.sessionId} not found`);
        if (directory.endSession(dir, s, 'REVOKED')) dir.changed();
        return { revokedSession: convert.revokedSession(s) };
      },
      async revokeAllUserSessions(req) {
        directory.requireUser(state, { case: 'id', value: req.userId });
        const now = new Date();
        const revoked = [...state.sessions.values()].filter((s) => s.userId === req.userId && convert.sessionStatus(s) === 'ACTIVE');
        for (const s of revoked) directory.endSession(dir, s, 'REVOKED', now);
        if (revoked.length) dir.changed();
        return { revokedSessions: revoked.map(convert.revokedSession), totalRevoked: revoked.length };
      },
    }),
  );
}
