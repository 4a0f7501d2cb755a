import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { PROBLEM_CONTENT_TYPE, toProblem, type Problem } from './problem-details';

/** OpenAI's error member: its SDKs read `error.message` (and `code`, `type`) from any failed response. */
interface OpenAiErrorMember {
  error: { message: string; type: string; code: string; param: null };
}

/**
 * Answers every failure of the HTTP speech API with an RFC 9457 problem document (`application/problem+json`),
 * with Retry-After on 429 and 503 and `x-should-retry` (which OpenAI's SDKs honour) saying whether a retry can
 * help. A failure after the audio has started streaming cannot change the status any more: the response is cut
 * off, so the client sees an incomplete body rather than a complete-looking one.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpApi');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<ServerResponse>();
    const problem = toProblem(exception, (error) =>
      this.logger.error('request failed', error instanceof Error ? error.stack : String(error)),
    );
    if (response.headersSent) {
      response.destroy();
      return;
    }
    if (problem.retryAfterSeconds !== undefined) {
      response.setHeader('Retry-After', String(Math.max(1, Math.ceil(problem.retryAfterSeconds))));
    }
    response.setHeader('x-should-retry', String(problem.body.retryable));
    response.statusCode = problem.body.status;
    response.setHeader('Content-Type', PROBLEM_CONTENT_TYPE);
    response.end(JSON.stringify(this.document(problem)));
  }

  protected document(problem: Problem): object {
    return problem.body;
  }
}

/** The same problem documents with OpenAI's `error` member added, for the OpenAI-compatible routes. */
@Catch()
export class OpenAiProblemDetailsFilter extends ProblemDetailsFilter {
  protected override document(problem: Problem): object {
    const member: OpenAiErrorMember = {
      error: {
        message: problem.body.detail,
        type: problem.body.status < 500 ? 'invalid_request_error' : 'server_error',
        code: problem.body.code.toLowerCase(),
        param: null,
      },
    };
    return { ...problem.body, ...member };
  }
}
