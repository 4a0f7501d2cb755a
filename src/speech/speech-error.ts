import type { ErrorCode } from '../protocol/error-codes';

const RETRYABLE: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'RATE_LIMITED',
  'POOL_EXHAUSTED',
  'UPSTREAM_THROTTLED',
  'UPSTREAM_UNAVAILABLE',
  'TIMEOUT',
  'SHUTTING_DOWN',
]);

/**
 * A failure with one of those error codes. `upstreamAuth` marks a rejected credential (401/403): callers report it
 * as UPSTREAM_UNAVAILABLE to clients but treat it as a configuration error at start-up.
 */
export class SpeechError extends Error {
  override readonly name = 'SpeechError';
  readonly retryable: boolean;
  readonly upstreamAuth: boolean;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options: { retryable?: boolean; upstreamAuth?: boolean; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.retryable = options.retryable ?? RETRYABLE.has(code);
    this.upstreamAuth = options.upstreamAuth ?? false;
  }
}
