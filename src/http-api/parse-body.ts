import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { closestName } from '../config/did-you-mean';
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
  if (!result.success) throw badRequest(describeZodError(withSuggestions(result.error, schema)));
  return result.data;
}

/**
 * Unknown top-level fields named with the closest known one (`Unrecognized key: "fromat" (did you mean
 * "format"?)`), as misspelt environment variables are: a typo is otherwise a puzzle.
 */
function withSuggestions(error: z.ZodError, schema: z.ZodType): z.ZodError {
  if (!(schema instanceof z.ZodObject)) return error;
  const known = Object.keys(schema.shape);
  const hinted = (key: string): string => {
    const hint = closestName(key, known);
    return `Unrecognized key: ${JSON.stringify(key)}${hint === undefined ? '' : ` (did you mean ${JSON.stringify(hint)}?)`}`;
  };
  return new z.ZodError(
    error.issues.map((issue) =>
      issue.code === 'unrecognized_keys' && issue.path.length === 0
        ? { ...issue, message: issue.keys.map(hinted).join('; ') }
        : issue,
    ),
  );
}
