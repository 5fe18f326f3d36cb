import type { IncomingHttpHeaders, ServerHttp2Stream } from 'node:http2';
import { create, type DescMessage, type DescMethod, type DescService } from '@bufbuild/protobuf';
import {
  Code,
  ConnectError,
  createContextValues,
  createServiceImplSpec,
  type ConnectRouter,
  type ContextValues,
  type HandlerContext,
} from '@connectrpc/connect';
import {
  compressionNegotiate,
  createMethodSerializationLookup,
  encodeEnvelope,
  validateReadWriteMaxBytes,
  type Compression,
} from '@connectrpc/connect/protocol';
import { contentTypeProto, parseContentType, parseTimeout, setTrailerStatus } from '@connectrpc/connect/protocol-grpc';
import { compressionBrotli, compressionGzip } from '@connectrpc/connect-node';

// A lean server for the emulator's unary gRPC calls, straight on node:http2 streams.
//
// connect-node's handler runs every call through its universal layer: the compat
// request/response objects, a chain of async generators per call (body, envelopes, parse,
// invoke, serialize, join), Headers objects, and an AbortController per call whose abort
// builds a DOMException with a stack trace. On the bench that was most of an empty
// round trip's CPU (bench/emulator-create-users.ts, --cpu-prof). This path does the same
// protocol work once per call: read the body, split the envelopes, parse, invoke the very
// implementations registered on connect's router, serialize, write headers, message and
// trailers.
//
// It serves only the plain case the SDK sends: POST, application/grpc or
// application/grpc+proto, an uncompressed request, a valid or absent grpc-timeout, a
// unary method. Anything else (JSON, a compressed request, a bad timeout, another verb,
// an unknown path, a streaming method) goes to connect-node unchanged, so its answers stay
// connect's by construction. For what it serves, the wire is connect's too, built with
// connect's own helpers (content-type and timeout parsing, compression negotiation,
// serialization with its limits and error messages, envelope encoding, trailer status):
// unary-server.test.ts sends the same requests to both and compares status, headers,
// body and trailers. Those helpers are connect's "private" exports, which is why
// package.json pins @connectrpc/connect and connect-node to exact versions.

/** What connect-node's adapter accepts by default; server.ts gives it the same list explicitly. */
export const ACCEPT_COMPRESSION: Compression[] = [compressionGzip, compressionBrotli];
/** connect's defaults: readMaxBytes and writeMaxBytes 0xffffffff, compressMinBytes 1024. */
const LIMITS = validateReadWriteMaxBytes(undefined, undefined, undefined);
// Node gives HTTP/2 header names in lower case (connect's constants are capitalised).
const ENCODING = 'grpc-encoding';
const ACCEPT_ENCODING = 'grpc-accept-encoding';

type Serialization = ReturnType<ReturnType<typeof createMethodSerializationLookup>['getI']>;

interface UnaryRoute {
  service: DescService;
  method: DescMethod;
  impl: (req: unknown, ctx: HandlerContext) => unknown;
  input: Serialization;
  output: Serialization;
}

/** The HandlerContext an implementation gets; its costly parts are built only when read. */
class StreamHandlerContext implements HandlerContext {
  readonly protocolName = 'grpc';
  readonly requestMethod = 'POST';
  readonly timeoutMs: () => number | undefined;
  private lazy: {
    signal?: AbortSignal;
    requestHeader?: Headers;
    responseHeader?: Headers;
    responseTrailer?: Headers;
    values?: ContextValues;
  } = {};

  constructor(
    readonly service: DescService,
    readonly method: DescMethod,
    private readonly stream: ServerHttp2Stream,
    private readonly headers: IncomingHttpHeaders,
    timeoutMs: number | undefined,
  ) {
    const deadline = timeoutMs === undefined ? undefined : Date.now() + timeoutMs;
    this.timeoutMs = () => (deadline === undefined ? undefined : deadline - Date.now());
  }

  /** As connect builds it: the path on the request's authority. */
  get url(): string {
    const authority = this.headers[':authority'] ?? this.headers.host ?? '';
    return new URL(this.headers[':path'] ?? '', `http://${authority}`).toString();
  }

  /** Aborted when the stream closes (the client cancelled, or the call is over), as connect's is. */
  get signal(): AbortSignal {
    if (!this.lazy.signal) {
      const controller = new AbortController();
      if (this.stream.closed) controller.abort();
      else this.stream.once('close', () => controller.abort());
      this.lazy.signal = controller.signal;
    }
    return this.lazy.signal;
  }

  get requestHeader(): Headers {
    if (!this.lazy.requestHeader) {
      const header = new Headers();
      for (const [key, value] of Object.entries(this.headers)) {
        if (key.startsWith(':') || value === undefined) continue;
        for (const v of Array.isArray(value) ? value : [String(value)]) header.append(key, v);
      }
      this.lazy.requestHeader = header;
    }
    return this.lazy.requestHeader;
  }

  get responseHeader(): Headers {
    return (this.lazy.responseHeader ??= new Headers());
  }

  get responseTrailer(): Headers {
    return (this.lazy.responseTrailer ??= new Headers());
  }

  get values(): ContextValues {
    return (this.lazy.values ??= createContextValues());
  }

  /** Headers or trailers an implementation set, for the response. */
  extra(kind: 'responseHeader' | 'responseTrailer'): Headers | undefined {
    return this.lazy[kind];
  }
}

type NodeHeaders = Record<string, string>;

function toNodeHeaders(headers: Headers | undefined, into: NodeHeaders): NodeHeaders {
  headers?.forEach((value, key) => {
    into[key] = value;
  });
  return into;
}

interface Envelope {
  flags: number;
  data: Uint8Array;
}

/** The body's complete envelopes, and whether bytes of an incomplete one are left over. */
function splitEnvelopes(body: Buffer): { envelopes: Envelope[]; incomplete: boolean } {
  const envelopes: Envelope[] = [];
  let offset = 0;
  while (body.length - offset >= 5) {
    const length = body.readUInt32BE(offset + 1);
    if (body.length - offset - 5 < length) break;
    envelopes.push({ flags: body[offset]!, data: body.subarray(offset + 5, offset + 5 + length) });
    offset += 5 + length;
  }
  return { envelopes, incomplete: offset < body.length };
}

/**
 * The request message, or the error connect raises, in connect's order: it parses the
 * first envelope, then looks for (and parses) a second one, then for leftover bytes.
 */
function readUnaryRequest(route: UnaryRoute, body: Buffer): unknown {
  const { envelopes, incomplete } = splitEnvelopes(body);
  const parse = (envelope: Envelope) => {
    if (envelope.flags & 0b1) {
      throw new ConnectError('received compressed envelope, but do not know how to decompress', Code.Internal);
    }
    return route.input.parse(envelope.data);
  };
  if (!envelopes.length) {
    if (incomplete) throw new ConnectError('protocol error: incomplete envelope', Code.InvalidArgument);
    throw new ConnectError('protocol error: missing input message for unary method', Code.Unimplemented);
  }
  const message = parse(envelopes[0]!);
  if (envelopes.length > 1) {
    parse(envelopes[1]!);
    throw new ConnectError('protocol error: received extra input message for unary method', Code.Unimplemented);
  }
  if (incomplete) throw new ConnectError('protocol error: incomplete envelope', Code.InvalidArgument);
  return message;
}

export class UnaryServer {
  private readonly routes = new Map<string, UnaryRoute>();

  /**
   * Wraps connect's router: every service registered through it is served here too, with the
   * same implementation objects (and connect's "not implemented" stand-ins for missing methods).
   */
  recording(router: ConnectRouter): ConnectRouter {
    const recording: ConnectRouter = {
      get handlers() {
        return router.handlers;
      },
      service: (service, implementation, options) => {
        this.add(service, createServiceImplSpec(service, implementation).methods);
        router.service(service, implementation, options);
        return recording;
      },
      // Single methods stay with connect only.
      rpc: (method, impl, options) => {
        router.rpc(method, impl, options);
        return recording;
      },
    };
    return recording;
  }

  private add(service: DescService, methods: ReturnType<typeof createServiceImplSpec>['methods']): void {
    for (const spec of Object.values(methods)) {
      if (spec.kind !== 'unary') continue;
      const serialization = createMethodSerializationLookup(spec.method, undefined, undefined, LIMITS);
      this.routes.set(`/${service.typeName}/${spec.method.name}`, {
        service,
        method: spec.method,
        impl: spec.impl as UnaryRoute['impl'],
        input: serialization.getI(true),
        output: serialization.getO(true),
      });
    }
  }

  /**
   * A call this server takes (from its headers alone), with its body being read from now on;
   * or null, the stream untouched, for connect-node. `run()` answers it once the caller's own
   * checks (token, faults) have passed.
   */
  accept(stream: ServerHttp2Stream, headers: IncomingHttpHeaders): { run(): Promise<void> } | null {
    const route = this.routes.get((headers[':path'] ?? '').split('?', 1)[0]!);
    if (!route || headers[':method'] !== 'POST') return null;
    if (!parseContentType(headers['content-type'] ?? null)?.binary) return null;
    const requestEncoding = headers[ENCODING];
    if (requestEncoding !== undefined && requestEncoding !== 'identity') return null;
    const timeout = parseTimeout(single(headers['grpc-timeout']), Number.MAX_SAFE_INTEGER);
    if (timeout.error) return null;
    const compression = compressionNegotiate(ACCEPT_COMPRESSION, null, single(headers[ACCEPT_ENCODING]), ACCEPT_ENCODING);

    const chunks: Buffer[] = [];
    const body = new Promise<Buffer>((resolve) => {
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.once('end', () => resolve(Buffer.concat(chunks)));
    });
    return {
      run: async () => {
        const ctx = new StreamHandlerContext(route.service, route.method, stream, headers, timeout.timeoutMs);
        await this.respond(stream, route, ctx, await body, compression.response);
      },
    };
  }

  private async respond(
    stream: ServerHttp2Stream,
    route: UnaryRoute,
    ctx: StreamHandlerContext,
    body: Buffer,
    compression: Compression | null,
  ): Promise<void> {
    let envelope: Uint8Array | null = null;
    let failure: ConnectError | null = null;
    try {
      const request = readUnaryRequest(route, body);
      const response = create(route.method.output as DescMessage, (await route.impl(request, ctx)) as never);
      let data = route.output.serialize(response);
      let flags = 0;
      if (compression && data.byteLength >= LIMITS.compressMinBytes) {
        data = await compression.compress(data);
        flags = 0b1;
      }
      envelope = encodeEnvelope(flags, data);
    } catch (error) {
      failure = error instanceof ConnectError ? error : new ConnectError('internal error', Code.Internal, undefined, undefined, error);
    }
    if (stream.destroyed || stream.closed) return;
    // connect starts from these, lets the implementation add to them, then sets the status.
    const responseHeaders: NodeHeaders = { 'content-type': contentTypeProto };
    if (compression) responseHeaders[ENCODING] = compression.name;
    toNodeHeaders(ctx.extra('responseHeader'), responseHeaders);
    let trailers: NodeHeaders = { 'grpc-status': '0' };
    const extraTrailers = ctx.extra('responseTrailer');
    if (failure || extraTrailers) {
      const all = new Headers(trailers);
      extraTrailers?.forEach((value, key) => all.set(key, value));
      if (failure) setTrailerStatus(all, failure);
      trailers = toNodeHeaders(all, {});
    }
    stream.respond({ ':status': 200, ...responseHeaders }, { waitForTrailers: true });
    stream.once('wantTrailers', () => stream.sendTrailers(trailers));
    if (envelope) stream.end(envelope);
    else stream.end();
  }
}

function single(value: string | string[] | undefined): string | null {
  return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
}
