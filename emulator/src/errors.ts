/**
 * A refusal from the emulated service, independent of the transport: the gRPC
 * layer turns it into a ConnectError with an ErrorInfo detail (so the SDK raises
 * the same exception class and `errorCode` as against Scalekit); hosted pages
 * turn it into a message on the page.
 */
export type ErrorKind =
  'INVALID_ARGUMENT' | 'NOT_FOUND' | 'ALREADY_EXISTS' | 'FAILED_PRECONDITION' | 'PERMISSION_DENIED' | 'RESOURCE_EXHAUSTED';

export class EmulatorError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly errorCode: string,
    message: string,
  ) {
    super(message);
    this.name = 'EmulatorError';
  }
}

export const invalid = (errorCode: string, message: string) => new EmulatorError('INVALID_ARGUMENT', errorCode, message);
export const notFound = (errorCode: string, message: string) => new EmulatorError('NOT_FOUND', errorCode, message);
