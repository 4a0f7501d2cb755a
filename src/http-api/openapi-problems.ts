import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ERROR_CODES } from '../protocol/error-codes';
import { PROBLEM_CONTENT_TYPE } from './problem-details';

/** RFC 9457 problem document, with warmline's error code. */
export class ProblemDetailsDto {
  @ApiProperty({ example: 'urn:warmline:error:bad-request' })
  type!: string;

  @ApiProperty({ example: 'Bad Request' })
  title!: string;

  @ApiProperty({ example: 400 })
  status!: number;

  @ApiProperty({ enum: ERROR_CODES })
  code!: string;

  @ApiProperty({ example: 'text: must not be empty' })
  detail!: string;

  @ApiProperty({ description: 'Whether the same request may succeed later' })
  retryable!: boolean;
}

const DESCRIPTIONS: Record<number, string> = {
  400: 'BAD_REQUEST: invalid input (the detail says what)',
  401: 'UNAUTHORIZED: missing or wrong API key (or not loopback when no keys are set)',
  408: 'TIMEOUT: the upload paused longer than HTTP_BODY_IDLE or arrived slower than 4 KiB/s',
  413: 'BAD_REQUEST: the upload is larger than HTTP_MAX_UPLOAD',
  415: 'BAD_REQUEST: unsupported Content-Type',
  429: 'RATE_LIMITED: too many requests for this API key (Retry-After)',
  502: 'UPSTREAM_THROTTLED or UPSTREAM_UNAVAILABLE: the speech service refused or failed',
  503: 'POOL_EXHAUSTED or SHUTTING_DOWN (Retry-After)',
  504: 'TIMEOUT: the speech service stopped making progress',
};

/** Documents the problem answers a route can give. */
export function ApiProblemResponses(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ProblemDetailsDto),
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: DESCRIPTIONS[status],
        ...(status === 429 || status === 503
          ? { headers: { 'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer' } } } }
          : {}),
        content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemDetailsDto) } } },
      }),
    ),
  );
}
