import type { ServerResponse } from 'node:http';
import { PROBLEM_CONTENT_TYPE, type Problem } from './problem-details';

/** How a route family words its problem documents (OpenAI's routes add OpenAI's `error` member). */
export type ProblemStyle = 'problem' | 'openai';

/** The problem document, with OpenAI's `error` member for the OpenAI-compatible routes. */
export function problemDocument(problem: Problem, style: ProblemStyle): object {
  if (style === 'problem') return problem.body;
  return {
    ...problem.body,
    error: {
      message: problem.body.detail,
      type: problem.body.status < 500 ? 'invalid_request_error' : 'server_error',
      code: problem.body.code.toLowerCase(),
      param: null,
    },
  };
}

/**
 * Sends a problem as the whole answer: status, Retry-After (429, 503), `x-should-retry` (which OpenAI's SDKs
 * honour) and the document. Once audio has been sent the status cannot change any more: the response is cut off
 * instead, so the client sees an incomplete body rather than a complete-looking one.
 */
export function sendProblem(response: ServerResponse, problem: Problem, style: ProblemStyle): void {
  if (response.destroyed) return; // the client is gone: nobody to tell
  if (response.headersSent) {
    response.destroy();
    return;
  }
  if (problem.retryAfterSeconds !== undefined) {
    response.setHeader('Retry-After', String(Math.max(1, Math.ceil(problem.retryAfterSeconds))));
  }
  response.setHeader('x-should-retry', String(problem.body.retryable));
  // Readable by browsers on other origins (CORS_ORIGINS), like the audio's own headers.
  response.setHeader('Access-Control-Expose-Headers', 'Retry-After, x-should-retry');
  // A body not read to its end (too large, too slow, malformed) would otherwise be read and dropped for as long as
  // the client keeps sending, or trickling: the connection closes once the answer is out instead.
  if (response.req?.complete === false) response.setHeader('Connection', 'close');
  response.statusCode = problem.body.status;
  response.setHeader('Content-Type', PROBLEM_CONTENT_TYPE);
  response.end(JSON.stringify(problemDocument(problem, style)));
}
