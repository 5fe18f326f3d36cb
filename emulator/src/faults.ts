import { z } from 'zod';
import { newId } from './ids.js';

// "Make the next N calls of X fail / be slow", so the app's tests can reach the
// SDK's retry, timeout and error paths without a flaky network.

export const GRPC_CODES = {
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
} as const;
export type GrpcCodeName = keyof typeof GRPC_CODES;

const faultInput = z
  .object({
    target: z.string().trim().min(1, 'target is required (an RPC method name or an HTTP path such as /oauth/token)'),
    count: z.number().int().min(1).max(10_000).default(1),
    grpcCode: z.enum(Object.keys(GRPC_CODES) as [GrpcCodeName, ...GrpcCodeName[]]).optional(),
    httpStatus: z.number().int().min(400).max(599).optional(),
    delayMs: z.number().int().min(0).max(120_000).optional(),
  })
  .strict()
  .refine((f) => f.grpcCode !== undefined || f.httpStatus !== undefined || f.delayMs !== undefined, {
    message: 'give at least one of grpcCode, httpStatus or delayMs',
  })
  .refine((f) => !(f.grpcCode && f.httpStatus), { message: 'give grpcCode or httpStatus, not both' });

export interface Fault {
  id: string;
  /** "/oauth/token" for HTTP, or "scalekit.v1.users.UserService/CreateUserAndMembership" for gRPC */
  target: string;
  kind: 'grpc' | 'http';
  remaining: number;
  grpcCode?: GrpcCodeName | undefined;
  httpStatus?: number | undefined;
  delayMs?: number | undefined;
}

export class FaultRegistry {
  private faults: Fault[] = [];

  /** @param rpcPaths every served gRPC method, as "package.Service/Method" */
  constructor(private readonly rpcPaths: string[]) {}

  /** Validates and registers; returns an error message for bad input. */
  add(body: unknown): { fault: Fault } | { error: string } {
    const parsed = faultInput.safeParse(body);
    if (!parsed.success) {
      return { error: parsed.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ` : '') + i.message).join('; ') };
    }
    const input = parsed.data;
    let target: string;
    let kind: Fault['kind'];
    if (input.target.startsWith('/') && !input.target.includes('.v1.')) {
      kind = 'http';
      target = input.target;
      if (input.grpcCode) return { error: 'grpcCode applies to RPC targets; use httpStatus for an HTTP path' };
    } else {
      kind = 'grpc';
      const wanted = input.target.replace(/^\//, '');
      const matches = this.rpcPaths.filter((p) => p === wanted || p.endsWith(`/${wanted}`));
      if (matches.length !== 1) {
        return {
          error: matches.length
            ? `target "${input.target}" is ambiguous: ${matches.join(', ')}`
            : `unknown RPC "${input.target}" (HTTP paths start with /)`,
        };
      }
      target = matches[0]!;
    }
    const fault: Fault = {
      id: newId('flt'),
      target,
      kind,
      remaining: input.count,
      grpcCode: input.grpcCode,
      httpStatus: input.httpStatus,
      delayMs: input.delayMs,
    };
    this.faults.push(fault);
    return { fault };
  }

  /** The fault for this call, if any, counting it as used. */
  take(kind: Fault['kind'], target: string): Fault | null {
    const fault = this.faults.find((f) => f.kind === kind && f.target === target);
    if (!fault) return null;
    fault.remaining--;
    if (fault.remaining <= 0) this.faults = this.faults.filter((f) => f !== fault);
    return fault;
  }

  list(): Fault[] {
    return this.faults.map((f) => ({ ...f }));
  }

  clear(): void {
    this.faults = [];
  }
}
