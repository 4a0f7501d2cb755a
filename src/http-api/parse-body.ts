import type { IncomingMessage } from 'node:http';
import type { z } from 'zod';
import { badRequest, describeZodError } from '../synthesis/error-body';
import { unsupportedMediaType } from './http-api-error';

/** A JSON request body checked against `schema`; 415 when the body is not JSON, 400 naming every mistake. */
export function parseJsonBody<T extends z.ZodType>(
  request: IncomingMessage,
  body: unknown,
  schema: T,
): z.output<T> {
  const type = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/json') {
    throw unsupportedMediaType(
      `send the request as application/json (got ${JSON.stringify(type.slice(0, 60))})`,
    );
  }
  const result = schema.safeParse(body);
  if (!result.success) throw badRequest(describeZodError(result.error));
  return result.data;
}
