import type { ErrorBody, ErrorCode, ErrorEvent, FailedAck } from '../protocol';

/**
 * Failures the client notices itself, where no server code applies. A refused handshake is not one of them: it
 * carries the server's code (`UNAUTHORIZED`, `SHUTTING_DOWN`).
 */
export type ClientErrorCode =
  /** No connection: the network, a timeout, nothing listening. */
  | 'CONNECT_FAILED'
  /** No acknowledgement within the request's timeout; the server may still be working on it. */
  | 'ACK_TIMEOUT'
  /** The connection closed before the acknowledgement; the request may not have been served. */
  | 'DISCONNECTED'
  /** The server's answer broke the protocol: audio out of order, or not the bytes its ack counts. */
  | 'PROTOCOL';

export type VoiceErrorCode = ErrorCode | ClientErrorCode;

/** A failed request or connection: branch on `code`; `retryable` says whether the same request may succeed later. */
export class VoiceError extends Error {
  override readonly name = 'VoiceError';

  constructor(
    readonly code: VoiceErrorCode,
    message: string,
    readonly retryable: boolean,
    /** The request it answers, when it answers one. */
    readonly requestId?: string,
  ) {
    super(message);
  }

  /** The error of a failed acknowledgement `{ ok: false, error }`. */
  static fromAck(ack: FailedAck, requestId?: string): VoiceError {
    const { error } = ack as Partial<FailedAck>;
    if (typeof error?.code !== 'string' || typeof error.message !== 'string') {
      return new VoiceError(
        'PROTOCOL',
        `a failed ack without its error: ${JSON.stringify(ack)}`,
        false,
        requestId,
      );
    }
    return new VoiceError(error.code, error.message, error.retryable === true, requestId);
  }

  /** An `error` event; those carry no `retryable`, so it is false. */
  static fromEvent(event: ErrorEvent): VoiceError {
    return new VoiceError(event.code, event.message, false, event.requestId);
  }
}

/** Socket.IO's own rejections of `emitWithAck` (its messages are fixed strings in socket.io-client). */
export function emitFailure(
  error: unknown,
  event: string,
  timeoutMs: number,
  requestId?: string,
): VoiceError {
  const message = error instanceof Error ? error.message : String(error);
  if (message === 'operation has timed out') {
    return new VoiceError('ACK_TIMEOUT', `no answer to ${event} within ${timeoutMs} ms`, true, requestId);
  }
  if (message === 'socket has been disconnected') {
    return new VoiceError(
      'DISCONNECTED',
      `the connection closed before ${event} was answered`,
      true,
      requestId,
    );
  }
  return new VoiceError('DISCONNECTED', `${event} failed: ${message}`, true, requestId);
}

/** A `connect_error`: a refusal carries the server's error body in `data`; anything else could not connect. */
export function connectFailure(error: Error & { data?: unknown }, url: string): VoiceError {
  const body = error.data as Partial<ErrorBody> | undefined;
  if (typeof body?.code === 'string' && typeof body.message === 'string') {
    return new VoiceError(body.code, body.message, body.retryable === true);
  }
  return new VoiceError('CONNECT_FAILED', `cannot connect to ${url}: ${error.message}`, true);
}
