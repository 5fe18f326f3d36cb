import type { ConnectRouter } from '@connectrpc/connect';
import { timestampDate } from '@bufbuild/protobuf/wkt';
import { ApiTokenService } from '@scalekit-sdk/node/lib/pkg/grpc/scalekit/v1/tokens/tokens_pb.js';
import * as directory from '../directory.js';
import type { Directory } from '../directory.js';
import { invalid, notFound } from '../errors.js';
import { newId, newSecret, sha256 } from '../ids.js';
import type { ApiTokenRecord, State } from '../state.js';
import { ts } from './convert.js';
import { guarded } from './services.js';

// ApiTokenService: API keys (authenticate/m2m/api-keys.mdx; the SDK's src/token.ts). The opaque key is
// returned only by CreateToken ("Scalekit does not store the key and cannot retrieve it later"), so the
// emulator keeps its sha256 only and does not serve FetchToken. Every token argument is "the opaque token
// string or token_id (apit_xxxxx)" (src/token.ts).

const TOKEN_ID = /^apit_\d+$/;

/** The token an argument names, invalidated or expired ones included; undefined when there is none. */
function lookup(state: State, token: string): ApiTokenRecord | undefined {
  if (TOKEN_ID.test(token)) return state.apiTokens.get(token);
  const hash = sha256(token);
  for (const t of state.apiTokens.values()) if (t.tokenHash === hash) return t;
  return undefined;
}

const isExpired = (t: ApiTokenRecord, now = Date.now()) => t.expiresAt !== null && t.expiresAt.getTime() <= now;

/**
 * A token that can still be used. The SDK turns NOT_FOUND (like UNAUTHENTICATED, INVALID_ARGUMENT and
 * PERMISSION_DENIED) from ValidateToken into ScalekitValidateTokenFailureException (src/token.ts), the
 * documented "invalid, expired, or not found" outcome.
 */
function requireUsable(state: State, token: string): ApiTokenRecord {
  if (!token) throw invalid('INVALID_TOKEN', 'token is required');
  const t = lookup(state, token);
  if (!t) throw notFound('TOKEN_NOT_FOUND', 'token not found');
  if (t.invalidatedAt) throw notFound('TOKEN_INVALIDATED', `token ${t.id} has been invalidated`);
  if (isExpired(t)) throw notFound('TOKEN_EXPIRED', `token ${t.id} has expired`);
  return t;
}

function checkClaims(claims: Record<string, string>): Record<string, string> {
  for (const key of Object.keys(claims)) if (!key.trim()) throw invalid('INVALID_CUSTOM_CLAIMS', 'custom claim keys cannot be empty');
  return { ...claims };
}

export function tokenMessage(state: State, t: ApiTokenRecord) {
  const org = state.organizations.get(t.organizationId);
  const user = t.userId ? state.users.get(t.userId) : undefined;
  const membership = t.userId ? state.memberships.get(t.organizationId)?.get(t.userId) : undefined;
  return {
    tokenId: t.id,
    organizationId: t.organizationId,
    organizationExternalId: org?.externalId ?? '',
    userId: t.userId ?? undefined,
    userExternalId: user?.externalId ?? undefined,
    email: user?.email,
    roles: membership ? [...membership.roles] : [],
    customClaims: { ...t.customClaims },
    expiry: ts(t.expiresAt),
    createdAt: ts(t.createdAt),
    description: t.description ?? undefined,
    tokenSuffix: t.tokenSuffix,
  };
}

export function registerApiTokenService(router: ConnectRouter, dir: Directory): void {
  const { state } = dir;
  router.service(
    ApiTokenService,
    guarded({
      async createToken({ token: input }) {
        const org = directory.requireOrganization(state, input?.organizationId ?? '');
        let userId: string | null = null;
        if (input?.userId) {
          // A user-scoped key belongs to one of the organization's members (api-keys.mdx "User-scoped API key").
          const user = directory.requireUser(state, { case: 'id', value: input.userId });
          directory.requireMembership(state, org.id, user.id);
          userId = user.id;
        }
        const expiresAt = input?.expiry ? timestampDate(input.expiry) : null;
        if (expiresAt && expiresAt.getTime() <= Date.now()) throw invalid('INVALID_EXPIRY', 'expiry must be in the future');
        const opaque = `apik_${newSecret(32)}`;
        const t: ApiTokenRecord = {
          id: newId('apit'),
          organizationId: org.id,
          userId,
          tokenHash: sha256(opaque),
          tokenSuffix: opaque.slice(-4),
          customClaims: checkClaims(input?.customClaims ?? {}),
          description: input?.description || null,
          expiresAt,
          createdAt: new Date(),
          invalidatedAt: null,
        };
        state.apiTokens.set(t.id, t);
        dir.changed();
        return { token: opaque, tokenId: t.id, tokenInfo: tokenMessage(state, t) };
      },
      async validateToken(req) {
        return { tokenInfo: tokenMessage(state, requireUsable(state, req.token)) };
      },
      async invalidateToken(req) {
        if (!req.token) throw invalid('INVALID_TOKEN', 'token is required');
        const t = lookup(state, req.token);
        if (!t) throw notFound('TOKEN_NOT_FOUND', 'token not found');
        // "This operation is idempotent, so calling invalidate on an already-revoked key succeeds" (api-keys.mdx).
        if (!t.invalidatedAt) {
          t.invalidatedAt = new Date();
          dir.changed();
        }
        return {};
      },
      async listTokens(req) {
        directory.requireOrganization(state, req.organizationId);
        // Invalidated keys are soft-deleted (src/token.ts invalidateToken) and leave the list.
        const tokens = [...state.apiTokens.values()].filter(
          (t) => t.organizationId === req.organizationId && !t.invalidatedAt && (!req.userId || t.userId === req.userId),
        );
        const page = directory.paginate(tokens, req.pageSize, req.pageToken, `api-tokens:${req.organizationId}:${req.userId ?? ''}`);
        return {
          tokens: page.items.map((t) => tokenMessage(state, t)),
          totalCount: page.totalSize,
          nextPageToken: page.nextPageToken,
          prevPageToken: page.prevPageToken,
        };
      },
      async updateToken(req) {
        const t = requireUsable(state, req.token);
        // Custom claims are replaced, not merged; an empty map is not sent by proto3 and changes nothing
        // (vendored tests/token.test.ts "should replace custom claims on update").
        if (Object.keys(req.customClaims).length) t.customClaims = checkClaims(req.customClaims);
        if (req.description !== undefined) t.description = req.description || null;
        dir.changed();
        return { tokenInfo: tokenMessage(state, t) };
      },
    }),
  );
}
