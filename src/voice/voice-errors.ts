import { ZodError } from 'zod';
import { PoolClosedError, PoolTimeoutError } from '../pools/pool-errors';
import { ERROR_CODES, SpeechError, type ErrorCode } from '../speech/speech-error';

/** The `error` part of a failed ack (CONTRACT §5). */
export interface VoiceErrorBody {
  code: ErrorCode;
  message: string;
  retryable: boolean;
}

/** `{ ok: false, error }`: the answer to every request that failed, whatever failed. */
export interface FailedAck {
  ok: false;
  error: VoiceErrorBody;
}

/** A failure the gateway itself decides (validation, limits, shutdown, protocol misuse). */
export class VoiceError extends SpeechError {
  constructor(code: ErrorCode, message: string, options: { retryable?: boolean } = {}) {
    super(code, message, options);
  }
}

export const badRequest = (message: string): VoiceError => new VoiceError('BAD_REQUEST', message);
export const rateLimited = (message: string): VoiceError => new VoiceError('RATE_LIMITED', message);
export const shuttingDown = (): VoiceError =>
  new VoiceError('SHUTTING_DOWN', 'the service is shutting down; reconnect to another instance');

const KNOWN_CODES: ReadonlySet<string> = new Set(ERROR_CODES);

/** One line per zod issue, with the field path, so a client can see every mistake at once. */
export function describeZodError(error: ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}

/**
 * Maps any failure to the contract's error body. Unknown failures become INTERNAL with a generic message (their
 * details stay in our logs, not in a client's ack); `onInternal` is where they get logged.
 */
export function toErrorBody(error: unknown, onInternal?: (error: unknown) => void): VoiceErrorBody {
  if (error instanceof SpeechError && KNOWN_CODES.has(error.code)) {
    return { code: error.code, message: error.message, retryable: error.retryable };
  }
  if (error instanceof PoolTimeoutError) {
    return {
      code: 'POOL_EXHAUSTED',
      message: `no ${error.poolName} client became free within ${error.timeoutMs} ms; retry later`,
      retryable: true,
    };
  }
  if (error instanceof PoolClosedError) {
    return { code: 'SHUTTING_DOWN', message: 'the service is shutting down', retryable: true };
  }
  if (error instanceof ZodError) {
    return { code: 'BAD_REQUEST', message: describeZodError(error), retryable: false };
  }
  onInternal?.(error);
  return { code: 'INTERNAL', message: 'internal error', retryable: false };
}

export function failedAck(error: unknown, onInternal?: (error: unknown) => void): FailedAck {
  return { ok: false, error: toErrorBody(error, onInternal) };
}
