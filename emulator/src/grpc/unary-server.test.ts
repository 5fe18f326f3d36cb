import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http2 from 'node:http2';
import { gunzipSync } from 'node:zlib';
import { create, fromBinary, toBinary, toJsonString, type DescMessage, type MessageInitShape } from '@bufbuild/protobuf';
import {
  CreateUserAndMembershipRequestSchema,
  CreateUserAndMembershipResponseSchema,
  GetUserRequestSchema,
  ListOrganizationUsersRequestSchema,
  ListOrganizationUsersResponseSchema,
} from '@scalekit-sdk/node/lib/pkg/grpc/scalekit/v1/users/users_pb.js';
import {
  GetOrganizationRequestSchema,
  GetOrganizationResponseSchema,
} from '@scalekit-sdk/node/lib/pkg/grpc/scalekit/v1/organizations/organizations_pb.js';
import type { Emulator } from '../index.js';
import { CLIENT_ID, CLIENT_SECRET, startEmulator } from '../testing.js';

// The lean unary server must answer exactly as connect-node does. Two emulators from the same
// seed, one on each server, get the same raw HTTP/2 requests; their status, headers (all but
// `date`), trailers and messages must match. Messages are compared decoded, with timestamps and
// fresh user ids masked: the two emulators started at different instants and mint random ids.

let lean: Emulator;
let reference: Emulator;
const tokens = new Map<Emulator, string>();

async function token(emu: Emulator): Promise<string> {
  const res = await fetch(`${emu.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: CLIENT_ID, client_secret: CLIENT_SECRET }),
  });
  return ((await res.json()) as { access_token: string }).access_token;
}

beforeAll(async () => {
  [lean, reference] = await Promise.all([startEmulator(), startEmulator({ grpcServer: 'connect' })]);
  for (const emu of [lean, reference]) tokens.set(emu, await token(emu));
});
afterAll(() => Promise.all([lean.close(), reference.close()]));

interface Answer {
  headers: Record<string, unknown>;
  /** null: a trailers-only answer (the status came in the headers). */
  trailers: Record<string, unknown> | null;
  body: Buffer;
}

function call(emu: Emulator, path: string, body: Uint8Array, headers: Record<string, string> = {}): Promise<Answer> {
  const session = http2.connect(emu.url);
  return new Promise<Answer>((resolve, reject) => {
    session.on('error', reject);
    const req = session.request({
      ':method': 'POST',
      ':path': path,
      'content-type': 'application/grpc+proto',
      te: 'trailers',
      'grpc-accept-encoding': 'gzip, br',
      'grpc-timeout': '30000m',
      authorization: `Bearer ${tokens.get(emu)}`,
      ...headers,
    });
    let responseHeaders: Record<string, unknown> = {};
    let trailers: Record<string, unknown> | null = null;
    const chunks: Buffer[] = [];
    req.on('response', (h) => {
      const { date, ...rest } = Object.fromEntries(Object.entries(h));
      expect(date).toBeTypeOf('string');
      responseHeaders = rest;
    });
    req.on('trailers', (t) => (trailers = Object.fromEntries(Object.entries(t))));
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve({ headers: responseHeaders, trailers, body: Buffer.concat(chunks) }));
    req.on('error', reject);
    // An empty write would leave the stream open: end() alone sends END_STREAM.
    if (body.length) req.end(Buffer.from(body));
    else req.end();
  }).finally(() => session.close());
}

const envelope = (data: Uint8Array, flags = 0) => {
  const out = Buffer.alloc(5 + data.length);
  out[0] = flags;
  out.writeUInt32BE(data.length, 1);
  out.set(data, 5);
  return out;
};
const message = <D extends DescMessage>(schema: D, init: MessageInitShape<D>) => envelope(toBinary(schema, create(schema, init)));

/** The answer's message as JSON, timestamps and (with `freshIds`) new user ids masked. */
function decoded(answer: Answer, schema: DescMessage, freshIds = false): { compressed: boolean; json: string } {
  expect(answer.body.length).toBeGreaterThan(5);
  const compressed = answer.body[0] === 1;
  const data = answer.body.subarray(5, 5 + answer.body.readUInt32BE(1));
  let json = toJsonString(schema, fromBinary(schema, compressed ? gunzipSync(data) : data));
  json = json.replace(/"\d{4}-\d\d-\d\dT[\d:.]+Z"/g, '"<time>"');
  if (freshIds) json = json.replace(/"(usr|usp)_\d+"/g, '"$1_<new>"');
  return { compressed, json };
}

async function both(path: string, body: Uint8Array, headers?: Record<string, string>): Promise<[Answer, Answer]> {
  return [await call(lean, path, body, headers), await call(reference, path, body, headers)];
}

const GET_ORG = '/scalekit.v1.organizations.OrganizationService/GetOrganization';
const CREATE = '/scalekit.v1.users.UserService/CreateUserAndMembership';
const LIST_ORG_USERS = '/scalekit.v1.users.UserService/ListOrganizationUsers';

describe('lean unary gRPC server against connect-node', () => {
  it('answers a call the same: headers, message and status trailer', async () => {
    const [a, b] = await both(GET_ORG, message(GetOrganizationRequestSchema, { identities: { case: 'id', value: 'org_acme' } }));
    expect(a.headers).toEqual({ ':status': 200, 'content-type': 'application/grpc+proto', 'grpc-encoding': 'gzip' });
    expect(a.headers).toEqual(b.headers);
    expect(a.trailers).toEqual({ 'grpc-status': '0' });
    expect(a.trailers).toEqual(b.trailers);
    expect(decoded(a, GetOrganizationResponseSchema)).toEqual(decoded(b, GetOrganizationResponseSchema));
    expect(decoded(a, GetOrganizationResponseSchema).json).toContain('"org_acme"');
  });

  it('answers an emulator error the same, ErrorInfo details included', async () => {
    const [a, b] = await both(GET_ORG, message(GetOrganizationRequestSchema, { identities: { case: 'id', value: 'org_missing' } }));
    expect(a.trailers).toMatchObject({ 'grpc-status': '5', 'grpc-status-details-bin': expect.any(String) });
    expect(a).toEqual(b);
  });

  it('creates the same way, and refuses an invalid email the same way', async () => {
    const create = (email: string) =>
      message(CreateUserAndMembershipRequestSchema, { organizationId: 'org_acme', user: { email, userProfile: { firstName: 'Lee' } } });
    const [a, b] = await both(CREATE, create('lee.unary@acme.test'));
    expect(a.headers).toEqual(b.headers);
    expect(a.trailers).toEqual(b.trailers);
    expect(decoded(a, CreateUserAndMembershipResponseSchema, true)).toEqual(decoded(b, CreateUserAndMembershipResponseSchema, true));
    const [bad, badRef] = await both(CREATE, create('not an email'));
    expect(bad.trailers).toMatchObject({ 'grpc-status': '3' });
    expect(bad).toEqual(badRef);
  });

  it('compresses a large answer as connect does, and not when the client accepts no compression', async () => {
    for (let i = 0; i < 12; i++) {
      const body = message(CreateUserAndMembershipRequestSchema, {
        organizationId: 'org_globex',
        user: { email: `bulk.${i}@globex.test` },
      });
      await both(CREATE, body);
    }
    const list = message(ListOrganizationUsersRequestSchema, { organizationId: 'org_globex', pageSize: 50 });
    const [a, b] = await both(LIST_ORG_USERS, list);
    expect(a.headers).toEqual(b.headers);
    expect(a.trailers).toEqual(b.trailers);
    const [da, db] = [decoded(a, ListOrganizationUsersResponseSchema, true), decoded(b, ListOrganizationUsersResponseSchema, true)];
    expect(da.compressed).toBe(true);
    expect(da).toEqual(db);

    const [plain, plainRef] = await both(LIST_ORG_USERS, list, { 'grpc-accept-encoding': '' });
    expect(plain.headers).toEqual({ ':status': 200, 'content-type': 'application/grpc+proto' });
    expect(plain.headers).toEqual(plainRef.headers);
    expect(decoded(plain, ListOrganizationUsersResponseSchema, true)).toEqual({ ...da, compressed: false });
  });

  it('answers malformed requests with connect’s statuses and messages', async () => {
    const valid = toBinary(GetUserRequestSchema, create(GetUserRequestSchema, { identities: { case: 'id', value: 'usr_x' } }));
    const cases: [string, Uint8Array][] = [
      ['no message', new Uint8Array()],
      ['two messages', Buffer.concat([envelope(valid), envelope(valid)])],
      ['an incomplete envelope', envelope(valid).subarray(0, 7)],
      ['a message and a partial one', Buffer.concat([envelope(valid), Buffer.from([0, 0])])],
      ['bytes that are no message', envelope(Buffer.from([0xff, 0xff, 0xff]))],
      ['a compressed flag without grpc-encoding', envelope(valid, 1)],
    ];
    for (const [what, body] of cases) {
      const [a, b] = await both('/scalekit.v1.users.UserService/GetUser', body);
      expect(a.trailers?.['grpc-status'], what).not.toBe('0');
      expect(a, what).toEqual(b);
    }
  });

  it('answers a method the emulator does not implement as connect does', async () => {
    const [a, b] = await both('/scalekit.v1.users.UserService/GetSupportHash', envelope(new Uint8Array()));
    expect(a.trailers).toMatchObject({ 'grpc-status': '12' });
    expect(a).toEqual(b);
  });

  it('leaves what it does not serve to connect-node: JSON, compressed requests, bad timeouts, unknown paths', async () => {
    const get = message(GetOrganizationRequestSchema, { identities: { case: 'id', value: 'org_acme' } });
    const variants: [string, string, Uint8Array, Record<string, string>][] = [
      ['JSON', GET_ORG, envelope(Buffer.from('{"id":"org_acme"}')), { 'content-type': 'application/grpc+json' }],
      ['an unknown request encoding', GET_ORG, get, { 'grpc-encoding': 'zstd' }],
      ['a bad timeout', GET_ORG, get, { 'grpc-timeout': 'soon' }],
      ['an unknown method', '/scalekit.v1.users.UserService/NoSuchMethod', get, {}],
    ];
    for (const [what, path, body, headers] of variants) {
      const [a, b] = await both(path, body, headers);
      if (what === 'JSON') {
        expect(a.headers, what).toEqual(b.headers);
        expect(a.trailers, what).toEqual({ 'grpc-status': '0' });
        expect(a.body.toString().replace(/"\d{4}-[^"]+Z"/g, ''), what).toEqual(b.body.toString().replace(/"\d{4}-[^"]+Z"/g, ''));
      } else {
        expect(a, what).toEqual(b);
        expect(a.trailers?.['grpc-status'] ?? a.headers['grpc-status'], what).not.toBe('0');
      }
    }
  });
});
