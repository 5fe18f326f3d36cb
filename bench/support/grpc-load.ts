import { connect, constants, type ClientHttp2Session } from 'node:http2';

// A lean gRPC load generator for the emulator benches. The SDK spends more CPU per call than the
// emulator does (protobuf messages built field by field, an interceptor chain, Connect's
// universal client), so on a two-core machine an SDK client on one core cannot keep an emulator
// on the other busy. This one sends pre-encoded request bytes over one HTTP/2 session, so its own
// cost per call is a few microseconds and the wall-clock rate it reaches is what the emulator's
// core serves. The SDK benches beside it stay the proof that the bytes are what the SDK sends
// (the requests here are encoded with the SDK's own generated schemas).

export interface GrpcLoad {
  /** Sends `n` calls of `path`, body i from `message(i)`, `concurrency` at a time; rejects on the first non-OK status. */
  run(n: number, concurrency: number, path: string, message: (i: number) => Uint8Array): Promise<void>;
  close(): void;
}

function frame(message: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(5 + message.length);
  out[0] = 0; // not compressed
  out.writeUInt32BE(message.length, 1);
  out.set(message, 5);
  return out;
}

export async function clientCredentialsToken(baseUrl: string, clientId: string, clientSecret: string): Promise<string> {
  const response = await fetch(new URL('/oauth/token', baseUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }),
  });
  if (!response.ok) throw new Error(`token endpoint answered ${response.status}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

export function grpcLoad(baseUrl: string, accessToken: string): GrpcLoad {
  const session: ClientHttp2Session = connect(baseUrl);
  session.on('error', () => undefined);
  const call = (path: string, body: Buffer) =>
    new Promise<void>((resolve, reject) => {
      const stream = session.request({
        [constants.HTTP2_HEADER_METHOD]: 'POST',
        [constants.HTTP2_HEADER_PATH]: path,
        'content-type': 'application/grpc+proto',
        te: 'trailers',
        authorization: `Bearer ${accessToken}`,
      });
      let status: string | undefined;
      stream.on('response', (headers) => {
        status = headers['grpc-status'] as string | undefined; // trailers-only responses carry it here
      });
      stream.on('trailers', (trailers) => {
        status = (trailers['grpc-status'] as string | undefined) ?? status;
      });
      stream.on('data', () => undefined);
      stream.on('error', reject);
      stream.on('close', () => (status === '0' ? resolve() : reject(new Error(`${path}: grpc-status ${status ?? 'missing'}`))));
      stream.end(body);
    });
  return {
    async run(n, concurrency, path, message) {
      let next = 0;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < n) await call(path, frame(message(next++)));
        }),
      );
    },
    close: () => session.close(),
  };
}
