import { z } from 'zod';

/** The error codes clients see, on every transport (Socket.IO acks and `error` events, HTTP problem bodies). */
export const ERROR_CODES = [
  'BAD_REQUEST',
  'UNAUTHORIZED',
  'RATE_LIMITED',
  'POOL_EXHAUSTED',
  'UPSTREAM_THROTTLED',
  'UPSTREAM_UNAVAILABLE',
  'TIMEOUT',
  'SHUTTING_DOWN',
  'INTERNAL',
] as const;
export const errorCodeSchema = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof errorCodeSchema>;

/** What a client is told about a failed request: branch on `code`; `message` is for humans. */
export const errorBodySchema = z.object({
  code: errorCodeSchema,
  message: z.string(),
  retryable: z.boolean(),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;
