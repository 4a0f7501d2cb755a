import { HttpException } from '@nestjs/common';
import type { ErrorCode } from '../protocol/error-codes';
import { toErrorBody } from '../synthesis/error-body';
import { HttpApiError } from './http-api-error';

/** An RFC 9457 problem document with warmline's error code and whether retrying can help. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  code: ErrorCode;
  detail: string;
  retryable: boolean;
}

export interface Problem {
  body: ProblemDetails;
  /** Seconds, for the Retry-After header (429 and 503 always carry one). */
  retryAfterSeconds: number | undefined;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** A problem's `type` names its code (a URN: stable, and not pretending to be a page that can be fetched). */
const PROBLEM_TYPE_PREFIX = 'urn:warmline:error:';

const STATUS_BY_CODE: Record<ErrorCode, number> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  RATE_LIMITED: 429,
  POOL_EXHAUSTED: 503,
  SHUTTING_DOWN: 503,
  UPSTREAM_THROTTLED: 502,
  UPSTREAM_UNAVAILABLE: 502,
  TIMEOUT: 504,
  INTERNAL: 500,
};

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** A pool frees a client within about a synthesis; a draining instance is replaced within seconds. */
const DEFAULT_RETRY_AFTER_SECONDS: Partial<Record<ErrorCode, number>> = {
  RATE_LIMITED: 1,
  POOL_EXHAUSTED: 1,
  SHUTTING_DOWN: 5,
};

/**
 * body-parser's errors (malformed or oversized JSON, a urlencoded body with too many fields or nested too deep)
 * carry a 4xx status and a `type` naming the failure.
 */
interface BodyParserError {
  type: string;
  status: number;
  message: string;
}

function isBodyParserError(error: unknown): error is BodyParserError {
  if (!(error instanceof Error)) return false;
  const { type, status } = error as Partial<BodyParserError>;
  return typeof type === 'string' && typeof status === 'number' && status >= 400 && status < 500;
}

function problem(
  status: number,
  code: ErrorCode,
  detail: string,
  retryable: boolean,
  retryAfterSeconds?: number,
): Problem {
  const retryAfter =
    status === 429 || status === 503
      ? (retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS[code] ?? 1)
      : retryAfterSeconds;
  return {
    body: {
      type: `${PROBLEM_TYPE_PREFIX}${code.toLowerCase().replace(/_/g, '-')}`,
      title: TITLES[status] ?? 'Error',
      status,
      code,
      detail,
      retryable,
    },
    retryAfterSeconds: retryAfter,
  };
}

/**
 * Maps any failure to its problem document: the same codes and `retryable` as the Socket.IO API's error bodies,
 * with the HTTP status each code stands for. Unknown failures become a generic 500 (`onInternal` logs them).
 */
export function toProblem(error: unknown, onInternal?: (error: unknown) => void): Problem {
  if (isBodyParserError(error)) {
    if (error.type === 'entity.too.large') {
      return problem(413, 'BAD_REQUEST', 'the request body is too large', false);
    }
    if (error.type === 'entity.parse.failed') {
      return problem(400, 'BAD_REQUEST', `the request body is not valid JSON: ${error.message}`, false);
    }
    return problem(
      error.status,
      'BAD_REQUEST',
      `the request body could not be read: ${error.message}`,
      false,
    );
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const code: ErrorCode = status === 401 ? 'UNAUTHORIZED' : status >= 500 ? 'INTERNAL' : 'BAD_REQUEST';
    return problem(status, code, error.message, false);
  }
  const body = toErrorBody(error, onInternal);
  const own = error instanceof HttpApiError ? error : undefined;
  return problem(
    own?.status ?? STATUS_BY_CODE[body.code],
    body.code,
    body.message,
    body.retryable,
    own?.retryAfterSeconds,
  );
}
