import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { Context } from './context.js';
import { requireOrganization } from './directory.js';
import {
  bulkLoadDirectory,
  changeGroupMembers,
  createDirectoryGroup,
  createDirectoryUser,
  deleteDirectoryGroup,
  deleteDirectoryUser,
  dropDirectoryEvents,
  droppedDirectoryEvents,
  MAX_BULK_USERS,
  requireDirectoryById,
  updateDirectoryGroup,
  updateDirectoryUser,
} from './directory-sync.js';
import { EmulatorError } from './errors.js';
import { HttpError, readJson, sendJson } from './http-util.js';
import { newId } from './ids.js';
import type { DirectoryGroupRecord, DirectoryRecord, DirectoryUserRecord } from './state.js';

// /_emulator/directories/**: stand in for a customer's IdP pushing SCIM changes to Scalekit (users,
// groups, group membership) and for the admin portal's "create a SCIM directory". Each change sends
// the directory webhook Scalekit documents (directory-sync.ts). docs/emulator-fidelity.md.

const userInput = z.strictObject({
  email: z.string(),
  givenName: z.string().max(200).optional(),
  familyName: z.string().max(200).optional(),
  active: z.boolean().optional(),
  groups: z.array(z.string()).max(1000).optional(),
});
const userPatch = userInput.partial();
const groupInput = z.strictObject({ displayName: z.string().max(200) });
const membersInput = z.strictObject({ add: z.array(z.string()).optional(), remove: z.array(z.string()).optional() });
const bulkInput = z.strictObject({
  groups: z.array(z.string().max(200)).max(1000).optional(),
  users: z.array(userInput).max(MAX_BULK_USERS).optional(),
  generate: z
    .strictObject({ count: z.number().int().min(1).max(MAX_BULK_USERS), domain: z.string().min(3), prefix: z.string().optional() })
    .optional(),
  events: z.boolean().optional(),
});
const directoryInput = z.strictObject({
  organizationId: z.string(),
  provider: z.enum(['OKTA', 'GOOGLE', 'MICROSOFT_AD', 'AUTH0', 'ONELOGIN', 'PING_IDENTITY', 'JUMPCLOUD']).default('OKTA'),
  name: z.string().max(200).optional(),
});
const dropInput = z.strictObject({ count: z.number().int().min(0).max(100_000) });

function parse<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new HttpError(400, parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
  return parsed.data;
}

const groupJson = (g: DirectoryGroupRecord) => ({ id: g.id, displayName: g.displayName, updatedAt: g.updatedAt.toISOString() });
const userJson = (u: DirectoryUserRecord) => ({
  id: u.id,
  email: u.email,
  givenName: u.givenName,
  familyName: u.familyName,
  active: u.active,
  groups: [...u.groupIds],
  updatedAt: u.updatedAt.toISOString(),
});
const directoryJson = (d: DirectoryRecord, withMembers: boolean) => ({
  id: d.id,
  organizationId: d.organizationId,
  name: d.name,
  provider: d.provider,
  enabled: d.enabled,
  totalUsers: d.users.length,
  totalGroups: d.groups.length,
  ...(withMembers ? { groups: d.groups.map(groupJson), users: d.users.map(userJson) } : {}),
});

function statusOf(error: EmulatorError): number {
  if (error.kind === 'NOT_FOUND') return 404;
  if (error.kind === 'INVALID_ARGUMENT') return 400;
  return 409;
}

/** Returns true when it answered. Anything under /_emulator/directories is handled here. */
export async function handleDirectoryDevEndpoint(ctx: Context, req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
  const parts = url.pathname.replace(/\/+$/, '').split('/').slice(3).map(decodeURIComponent);
  const method = req.method ?? 'GET';
  try {
    return await route(ctx, req, res, method, parts);
  } catch (error) {
    if (error instanceof EmulatorError) throw new HttpError(statusOf(error), error.message);
    throw error;
  }
}

async function route(ctx: Context, req: IncomingMessage, res: ServerResponse, method: string, parts: string[]): Promise<boolean> {
  const { dir } = ctx;
  const [id, kind, itemId, sub] = parts;
  if (id === undefined) {
    if (method === 'POST') {
      // The admin portal's "set up a SCIM directory", finished and enabled (the portal page itself is another's).
      const input = parse(directoryInput, await readJson(req));
      requireOrganization(ctx.state, input.organizationId);
      const now = new Date();
      const d: DirectoryRecord = {
        id: newId('dir'),
        organizationId: input.organizationId,
        name: input.name ?? input.provider,
        type: 'SCIM',
        provider: input.provider,
        enabled: true,
        status: 'COMPLETED',
        groups: [],
        users: [],
        lastSyncedAt: null,
        createdAt: now,
        updatedAt: now,
      };
      ctx.state.directories.set(d.id, d);
      dir.changed();
      sendJson(res, 201, directoryJson(d, false));
      return true;
    }
    if (method === 'GET') {
      sendJson(
        res,
        200,
        [...ctx.state.directories.values()].map((d) => directoryJson(d, false)),
      );
      return true;
    }
  }
  if (id === 'drop-events' && kind === undefined) {
    if (method === 'POST') {
      sendJson(res, 200, dropDirectoryEvents(dir, parse(dropInput, await readJson(req)).count));
      return true;
    }
    if (method === 'GET') {
      sendJson(res, 200, droppedDirectoryEvents(dir));
      return true;
    }
  }
  if (id === undefined) throw new HttpError(405, `${method} is not supported on /_emulator/directories`);
  if (kind === undefined && method === 'GET') {
    sendJson(res, 200, directoryJson(requireDirectoryById(dir, id), true));
    return true;
  }
  if (kind === 'bulk' && method === 'POST' && itemId === undefined) {
    const loaded = bulkLoadDirectory(dir, id, parse(bulkInput, await readJson(req)));
    sendJson(res, 201, { groups: loaded.groups.map(groupJson), users: loaded.users.length });
    return true;
  }
  if (kind === 'users') {
    if (itemId === undefined && method === 'POST') {
      sendJson(res, 201, userJson(createDirectoryUser(dir, id, parse(userInput, await readJson(req)))));
      return true;
    }
    if (itemId !== undefined && sub === undefined && method === 'PATCH') {
      sendJson(res, 200, userJson(updateDirectoryUser(dir, id, itemId, parse(userPatch, await readJson(req)))));
      return true;
    }
    if (itemId !== undefined && sub === undefined && method === 'DELETE') {
      sendJson(res, 200, userJson(deleteDirectoryUser(dir, id, itemId)));
      return true;
    }
  }
  if (kind === 'groups') {
    if (itemId === undefined && method === 'POST') {
      sendJson(res, 201, groupJson(createDirectoryGroup(dir, id, parse(groupInput, await readJson(req)))));
      return true;
    }
    if (itemId !== undefined && sub === undefined && method === 'PATCH') {
      sendJson(res, 200, groupJson(updateDirectoryGroup(dir, id, itemId, parse(groupInput, await readJson(req)))));
      return true;
    }
    if (itemId !== undefined && sub === undefined && method === 'DELETE') {
      sendJson(res, 200, groupJson(deleteDirectoryGroup(dir, id, itemId)));
      return true;
    }
    if (itemId !== undefined && sub === 'members' && method === 'POST') {
      const changed = changeGroupMembers(dir, id, itemId, parse(membersInput, await readJson(req)));
      sendJson(res, 200, { changed: changed.map(userJson) });
      return true;
    }
  }
  throw new HttpError(404, `no dev endpoint ${method} /_emulator/directories/${parts.join('/')}`);
}
