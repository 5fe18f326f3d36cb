import type { ConnectRouter } from '@connectrpc/connect';
import { RolesService } from '@scalekit-sdk/node/lib/pkg/grpc/scalekit/v1/roles/roles_pb.js';
import * as directory from '../directory.js';
import type { Directory } from '../directory.js';
import { notFound } from '../errors.js';
import * as convert from './convert.js';
import type { guarded as Guarded } from './services.js';

/**
 * scalekit.v1.roles.RolesService: environment and organization roles and their permissions
 * (SDK src/role.ts, src/permission.ts). Its own file because it grows with the SDK's role and
 * permission tests; `guarded` comes from services.ts so every service maps errors the same way.
 */
export function registerRolesService(router: ConnectRouter, dir: Directory, guarded: typeof Guarded): void {
  const { state } = dir;
  router.service(
    RolesService,
    guarded({
      async listRoles() {
        return { roles: [...state.roles.values()].map(convert.role) };
      },
      async getRole(req) {
        const r = state.roles.get(req.roleName);
        if (!r) throw notFound('ROLE_NOT_FOUND', `role "${req.roleName}" not found`);
        return { role: convert.role(r) };
      },
      async listOrganizationRoles(req) {
        directory.requireOrganization(state, req.orgId);
        return { roles: [...state.roles.values()].map(convert.role) };
      },
    }),
  );
}
