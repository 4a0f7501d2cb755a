import type { ErrorCode } from '../protocol/error-codes';
import { SpeechError } from '../speech/speech-error';

/**
 * A failure the HTTP API decides itself, when the error code alone does not pick the HTTP status (413 and 415
 * are BAD_REQUEST to the client's logic, but HTTP has better words for them) or when the client should be told
 * when to come back.
 */
export class HttpApiError extends SpeechError {
  readonly status: number | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { status?: number; retryAfterSeconds?: number; retryable?: boolean; cause?: unknown } = {},
  ) {
    super(code, message, { retryable: options.retryable, cause: options.cause });
    this.status = options.status;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export const invalidRequest = (message: string): HttpApiError => new HttpApiError('BAD_REQUEST', message);

export const payloadTooLarge = (message: string): HttpApiError =>
  new HttpApiError('BAD_REQUEST', message, { status: 413 });

export const unsupportedMediaType = (message: string): HttpApiError =>
  new HttpApiError('BAD_REQUEST', message, { status: 415 });

export const unauthorized = (message: string): HttpApiError => new HttpApiError('UNAUTHORIZED', message);

export const tooManyRequests = (message: string, retryAfterSeconds: number): HttpApiError =>
  new HttpApiError('RATE_LIMITED', message, { retryAfterSeconds });
