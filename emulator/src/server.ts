import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import { Duplex } from 'node:stream';
import { connectNodeAdapter } from '@connectrpc/connect-node';
import type { Context } from './context.js';
import { handleDevEndpoint } from './dev-endpoints.js';
import { GRPC_CODES } from './faults.js';
import { registerServices } from './grpc/services.js';
import { ACCEPT_COMPRESSION, UnaryServer } from './grpc/unary-server.js';
import { html, page } from './html.js';
import { HttpError, redirect, sendHtml, sendJson } from './http-util.js';
import { INVITATION_PATH } from './oauth/invitations.js';
import * as hosted from './oauth/hosted.js';
import { handlePortal } from './oauth/portal.js';
import { checkManagementToken, handleToken } from './oauth/tokens.js';

// One port, two protocols, as the SDK needs: HTTP/1.1 (axios: /oauth/token,
// /keys; browsers) and cleartext HTTP/2 with prior knowledge (connect-node's
// gRPC transport for an http:// base URL).

const H2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A page or endpoint behind one `METHOD path`; each takes what it needs of the request. */
type Handler = (ctx: Context, req: IncomingMessage, res: ServerResponse, url: URL) => void | Promise<void>;

/** The OAuth endpoints and hosted login pages on the emulator's own origin. */
const HOSTED_PAGES = new Map<string, Handler>([
  ['GET /oauth/authorize', hosted.handleAuthorize],
  ['POST /oauth/token', handleToken],
  ['GET /oidc/logout', hosted.handleLogout],
  ['GET /login', (ctx, _req, res, url) => hosted.showEmailPage(ctx, res, url, 'signin')],
  ['POST /login', (ctx, req, res) => hosted.submitEmail(ctx, req, res, 'signin')],
  ['GET /signup', (ctx, _req, res, url) => hosted.showEmailPage(ctx, res, url, 'signup')],
  ['POST /signup', (ctx, req, res) => hosted.submitEmail(ctx, req, res, 'signup')],
  ['GET /login/verify', (ctx, _req, res, url) => hosted.showCodePage(ctx, res, url)],
  ['POST /login/verify', hosted.submitCode],
  ['POST /login/resend', hosted.resendCode],
  ['GET /login/organization', (ctx, _req, res, url) => hosted.showOrganizationPicker(ctx, res, url)],
  ['POST /login/organization', hosted.submitOrganization],
  ['GET /login/idp-callback', hosted.completeIdpCallback],
  [`GET ${INVITATION_PATH}`, (ctx, _req, res, url) => hosted.handleInvitationLink(ctx, res, url)],
]);

/**
 * The emulated identity providers' pages: served on their own origin (idpPort), or on the
 * emulator's when it has none.
 */
const IDP_PAGES = new Map<string, Handler>([
  ['GET /login/social', (ctx, _req, res, url) => hosted.showSocialPage(ctx, res, url)],
  ['POST /login/social', hosted.submitSocial],
  ['GET /login/sso', (ctx, _req, res, url) => hosted.showSsoPage(ctx, res, url)],
  ['POST /login/sso', hosted.submitSso],
  ['GET /sso/idp-initiated', (ctx, _req, res, url) => hosted.startIdpInitiated(ctx, res, url)],
]);

async function routeHttp(ctx: Context, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://emulator.invalid');
  const path = url.pathname;
  if (!path.startsWith('/_emulator/') && path !== '/health') {
    const fault = ctx.faults.take('http', path);
    if (fault) {
      if (fault.delayMs) await sleep(fault.delayMs);
      if (fault.httpStatus) {
        sendJson(res, fault.httpStatus, { error: 'emulated_fault', error_description: `fault injected for ${path}` });
        return;
      }
    }
  }
  if (await handleDevEndpoint(ctx, req, res, url)) return;
  const route = `${req.method} ${path}`;
  switch (route) {
    case 'GET /keys':
    case 'GET /.well-known/jwks.json':
      return sendJson(res, 200, { keys: [ctx.keys.publicJwk] }, { 'cache-control': 'public, max-age=300' });
    case 'GET /.well-known/openid-configuration': {
      const iss = ctx.issuer();
      return sendJson(res, 200, {
        issuer: iss,
        authorization_endpoint: `${iss}/oauth/authorize`,
        token_endpoint: `${iss}/oauth/token`,
        jwks_uri: `${iss}/keys`,
        end_session_endpoint: `${iss}/oidc/logout`,
        response_types_supported: ['code'],
        grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials'],
        code_challenge_methods_supported: ['S256'],
        id_token_signing_alg_values_supported: ['RS256'],
        token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
        scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      });
    }
    case 'GET /':
      return sendHtml(
        res,
        200,
        page(
          'Scalekit emulator',
          html`<h1>Scalekit emulator</h1>
            <p>Issuer <code>${ctx.issuer()}</code></p>
            <p>
              <a href="/_emulator/mailbox">Mailbox</a> · <a href="/_emulator/state">State</a> ·
              <a href="/_emulator/events">Webhook events</a> · <a href="/keys">JWKS</a>
            </p>`,
          { appName: ctx.state.environment.appName },
        ),
      );
  }
  const hostedPage = HOSTED_PAGES.get(route);
  if (hostedPage) return hostedPage(ctx, req, res, url);
  // The admin portal (/magicLink/<id>, /portal/<token>): paths with an id in them.
  if (await handlePortal(ctx, req, res, url)) return;
  if (IDP_PAGES.has(route)) {
    if (ctx.idpUrl() === ctx.issuer()) return routeIdp(ctx, req, res);
    // The identity providers live on their own origin; older links still land there.
    if (req.method === 'GET') return redirect(res, `${ctx.idpUrl()}${path}${url.search}`);
  }
  throw new HttpError(404, `not found: ${req.method} ${path}`);
}

/** The emulated Google/GitHub/Microsoft and SSO IdP pages, on the second origin. */
async function routeIdp(ctx: Context, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://emulator.invalid');
  const idpPage = IDP_PAGES.get(`${req.method} ${url.pathname}`);
  if (idpPage) return idpPage(ctx, req, res, url);
  throw new HttpError(404, `not found on the identity-provider origin: ${req.method} ${url.pathname}`);
}

type Route = (ctx: Context, req: IncomingMessage, res: ServerResponse) => Promise<void>;

function httpHandler(ctx: Context, route: Route = routeHttp) {
  return (req: IncomingMessage, res: ServerResponse) => {
    route(ctx, req, res).catch((error: unknown) => {
      const status = error instanceof HttpError ? error.status : 500;
      const message = error instanceof HttpError ? error.message : 'internal emulator error';
      if (!(error instanceof HttpError))
        console.error(`[emulator] ${req.method} ${req.url?.split('?')[0]} failed:`, (error as Error)?.message);
      if (res.headersSent) return void res.end();
      sendJson(res, status, { error: message });
    });
  };
}

/** What the emulator answers before any RPC runs: a gRPC status, or an HTTP error (injected fault). */
type Refusal = { grpcCode: number; message: string } | { httpStatus: number };

/**
 * The management token check and injected faults, before any RPC. Null: go on. `gone()` says
 * whether the client gave up (deadline) while a fault's delay ran.
 */
async function gate(ctx: Context, headers: http2.IncomingHttpHeaders, gone: () => boolean): Promise<Refusal | 'gone' | null> {
  if (!(await checkManagementToken(ctx, headers.authorization))) {
    return { grpcCode: GRPC_CODES.UNAUTHENTICATED, message: 'missing, invalid or expired access token' };
  }
  const fault = ctx.faults.take('grpc', String(headers[':path'] ?? '').replace(/^\//, ''));
  if (!fault) return null;
  if (fault.delayMs) await sleep(fault.delayMs);
  if (gone()) return 'gone';
  if (fault.httpStatus) return { httpStatus: fault.httpStatus };
  if (fault.grpcCode) return { grpcCode: GRPC_CODES[fault.grpcCode], message: `fault injected: ${fault.grpcCode}` };
  return null;
}

/** A refusal as a trailers-only gRPC answer (or the fault's HTTP status), on the raw stream or through compat. */
function refuse(target: http2.ServerHttp2Stream | http2.Http2ServerResponse, refusal: Refusal): void {
  const [status, headers, body]: [number, http2.OutgoingHttpHeaders, string | undefined] =
    'httpStatus' in refusal
      ? [refusal.httpStatus, { 'content-type': 'text/plain' }, `fault injected (HTTP ${refusal.httpStatus})`]
      : [
          200,
          {
            'content-type': 'application/grpc+proto',
            'grpc-status': String(refusal.grpcCode),
            'grpc-message': encodeURIComponent(refusal.message),
          },
          undefined,
        ];
  if (target instanceof http2.Http2ServerResponse) {
    target.writeHead(status, headers);
    if (body === undefined) target.end();
    else target.end(body);
  } else if (body === undefined) {
    target.respond({ ':status': status, ...headers }, { endStream: true });
  } else {
    target.respond({ ':status': status, ...headers });
    target.end(body);
  }
}

const INTERNAL: Refusal = { grpcCode: GRPC_CODES.INTERNAL, message: 'internal emulator error' };
const isGrpc = (headers: http2.IncomingHttpHeaders) => String(headers['content-type'] ?? '').startsWith('application/grpc');

type StreamListener = (stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders, flags: number, rawHeaders: string[]) => void;

/**
 * gRPC on the HTTP/2 server's raw streams: the lean unary server (grpc/unary-server.ts) for
 * the calls the SDK makes, connect-node (through Node's compat layer) for everything else,
 * each behind the same token check and injected faults. With `leanUnary` false, connect-node
 * serves every call (the reference in unary-server.test.ts).
 */
function grpcHandler(ctx: Context, leanUnary: boolean): StreamListener {
  const unary = new UnaryServer();
  const adapter = connectNodeAdapter({
    grpc: true,
    grpcWeb: false,
    connect: false,
    acceptCompression: ACCEPT_COMPRESSION,
    // Registered once: connect's router and the unary server share the implementations.
    routes: (router) => registerServices(unary.recording(router), ctx.dir),
    fallback: (_req, res) => {
      res.writeHead(200, {
        'content-type': 'application/grpc+proto',
        'grpc-status': String(GRPC_CODES.UNIMPLEMENTED),
        'grpc-message': 'method not implemented by the emulator',
      });
      res.end();
    },
  });
  const plainHttp = httpHandler(ctx);
  // Never listens: a stream emitted on it goes through Node's compat layer, which makes the
  // (req, res) pair that connect-node and the HTTP routes take. It must get the stream at
  // once, in the 'stream' event: a request without a body has ended by the next tick, and a
  // compat request made later would never see its end.
  const compat = http2.createServer();
  compat.on('request', async (req: http2.Http2ServerRequest, res: http2.Http2ServerResponse) => {
    // e.g. `curl --http2-prior-knowledge`: same routes as HTTP/1.1.
    if (!isGrpc(req.headers)) return plainHttp(req as unknown as IncomingMessage, res as unknown as ServerResponse);
    try {
      const refusal = await gate(ctx, req.headers, () => res.stream.destroyed);
      if (refusal === 'gone') return;
      if (refusal) return refuse(res, refusal);
      adapter(req, res);
    } catch (error) {
      console.error('[emulator] gRPC request failed:', (error as Error)?.message);
      if (!res.headersSent) refuse(res, INTERNAL);
    }
  });

  return (stream, headers, flags, rawHeaders) => {
    // Decided from the headers alone, and the body read from now on (see `compat`).
    const call = leanUnary && isGrpc(headers) ? unary.accept(stream, headers) : null;
    if (!call) return void compat.emit('stream', stream, headers, flags, rawHeaders);
    // A stream the client resets has nobody to answer; its 'error' must not become an uncaught one.
    stream.on('error', () => undefined);
    void (async () => {
      try {
        const refusal = await gate(ctx, headers, () => stream.destroyed);
        if (refusal === 'gone') return;
        if (refusal) return refuse(stream, refusal);
        await call.run();
      } catch (error) {
        console.error('[emulator] gRPC request failed:', (error as Error)?.message);
        if (!stream.headersSent && !stream.destroyed) refuse(stream, INTERNAL);
      }
    })();
  };
}

/**
 * Node's http server consumes a socket's native handle directly and would miss
 * the bytes already read to sniff the protocol, so HTTP/1.1 gets a plain JS
 * Duplex that replays them (scalekit-sdk-contract.md, "Transports").
 */
function replayingStream(socket: net.Socket, head: Buffer): Duplex {
  const stream = new Duplex({
    read() {
      socket.resume();
    },
    write(chunk, encoding, callback) {
      socket.write(chunk, encoding, callback);
    },
    final(callback) {
      socket.end();
      callback();
    },
    destroy(error, callback) {
      socket.destroy(error ?? undefined);
      callback(error);
    },
  });
  Object.defineProperties(stream, {
    remoteAddress: { get: () => socket.remoteAddress },
    remotePort: { get: () => socket.remotePort },
    localAddress: { get: () => socket.localAddress },
    localPort: { get: () => socket.localPort },
    encrypted: { value: false },
  });
  (stream as Duplex & { setTimeout?: unknown }).setTimeout = (ms: number, cb?: () => void) => {
    socket.setTimeout(ms, cb);
    return stream;
  };
  (stream as Duplex & { setNoDelay?: unknown }).setNoDelay = (v?: boolean) => {
    socket.setNoDelay(v);
    return stream;
  };
  (stream as Duplex & { setKeepAlive?: unknown }).setKeepAlive = (e?: boolean, d?: number) => {
    socket.setKeepAlive(e, d);
    return stream;
  };
  (stream as Duplex & { ref?: unknown }).ref = () => socket.ref();
  (stream as Duplex & { unref?: unknown }).unref = () => socket.unref();
  stream.push(head);
  socket.on('data', (chunk) => {
    if (!stream.push(chunk)) socket.pause();
  });
  socket.on('end', () => stream.push(null));
  socket.on('error', (error) => stream.destroy(error));
  socket.on('close', () => stream.destroy());
  return stream;
}

export interface RunningServer {
  port: number;
  close(): Promise<void>;
}

export function startServer(ctx: Context, host: string, port: number, options: { leanUnary: boolean }): Promise<RunningServer> {
  const h1 = http.createServer(httpHandler(ctx));
  h1.keepAliveTimeout = 5000;
  const h2 = http2.createServer({});
  h2.on('stream', grpcHandler(ctx, options.leanUnary));
  const sockets = new Set<net.Socket>();
  const sessions = new Set<http2.ServerHttp2Session>();
  h2.on('session', (session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
    session.on('error', () => undefined);
  });

  const tcp = net.createServer((socket) => {
    sockets.add(socket);
    // Small gRPC frames + Nagle + delayed ACK would add ~40 ms to every call.
    socket.setNoDelay(true);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const n = Math.min(head.length, H2_PREFACE.length);
      const isH2 = head.subarray(0, n).equals(H2_PREFACE.subarray(0, n));
      if (isH2 && head.length < H2_PREFACE.length) return; // need more bytes to decide
      socket.off('data', onData);
      socket.pause();
      if (isH2) {
        // Node's http2 session feeds itself a socket's unshifted bytes (readableLength) before
        // taking over the native handle, so gRPC keeps the native path: the replaying Duplex
        // cost about a third of an RPC's CPU (bench/emulator-create-users.ts).
        socket.unshift(head);
        h2.emit('connection', socket);
      } else {
        h1.emit('connection', replayingStream(socket, head));
      }
    };
    socket.on('data', onData);
  });

  return new Promise((resolve, reject) => {
    tcp.once('error', reject);
    tcp.listen(port, host, () => {
      tcp.off('error', reject);
      const address = tcp.address() as net.AddressInfo;
      resolve({
        port: address.port,
        close: () =>
          new Promise<void>((done) => {
            tcp.close(() => done());
            for (const s of sessions) s.destroy();
            for (const s of sockets) s.destroy();
            h1.closeAllConnections();
          }),
      });
    });
  });
}

/** The identity providers' origin: plain HTTP/1.1 on a port of its own. */
export function startIdpServer(ctx: Context, host: string, port: number): Promise<RunningServer> {
  const server = http.createServer(httpHandler(ctx, routeIdp));
  server.keepAliveTimeout = 5000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve({
        port: (server.address() as net.AddressInfo).port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
