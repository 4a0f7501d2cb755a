import { ZodError } from 'zod';
import { PoolClosedError, PoolTimeoutError } from '../pools/pool-errors';
import { ERROR_CODES, type ErrorBody } from '../protocol/error-codes';
import { SpeechError } from '../speech/speech-error';

/**
 * Longest error message a client is sent. Messages quote client input (field paths, ids, SSML parser errors);
 * a cap keeps a hostile payload from turning one answer into megabytes.
 */
export const MAX_ERROR_MESSAGE_CHARS = 500;
/** Problems listed in a validation error before "and N more". */
const MAX_LISTED_ISSUES = 5;

export function capMessage(message: string): string {
  return message.length <= MAX_ERROR_MESSAGE_CHARS
    ? message
    : `${message.slice(0, MAX_ERROR_MESSAGE_CHARS - 1)}…`;
}

export const badRequest = (message: string): SpeechError =>
  new SpeechError('BAD_REQUEST', capMessage(message));
export const rateLimited = (message: string): SpeechError =>
  new SpeechError('RATE_LIMITED', capMessage(message));
export const shuttingDown = (): SpeechError =>
  new SpeechError('SHUTTING_DOWN', 'the service is shutting down; reconnect to another instance');

const KNOWN_CODES: ReadonlySet<string> = new Set(ERROR_CODES);

/** The first few zod issues, one per field path, so a client sees its mistakes without an unbounded list. */
export function describeZodError(error: ZodError): string {
  const issues = error.issues;
  const listed = issues
    .slice(0, MAX_LISTED_ISSUES)
    .map((issue) => {
      const path = issue.path.map(String).join('.');
      return path.length > 0 ? `${path.slice(0, 64)}: ${issue.message}` : issue.message;
    })
    .join('; ');
  const more = issues.length > MAX_LISTED_ISSUES ? ` (and ${issues.length - MAX_LISTED_ISSUES} more)` : '';
  return capMessage(listed + more);
}

/**
 * Maps any failure to an error body. Unknown failures become INTERNAL with a generic message (their details stay
 * in our logs, not in a client's answer); `onInternal` is where they get logged.
 */
export function toErrorBody(error: unknown, onInternal?: (error: unknown) => void): ErrorBody {
  if (error instanceof SpeechError && KNOWN_CODES.has(error.code)) {
    return { code: error.code, message: capMessage(error.message), retryable: error.retryable };
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
