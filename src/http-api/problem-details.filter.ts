import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { toProblem } from './problem-details';
import { sendProblem, type ProblemStyle } from './problem-response';

/** Answers every failure of the HTTP speech API with an RFC 9457 problem document (`application/problem+json`). */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  protected readonly style: ProblemStyle = 'problem';
  private readonly logger = new Logger('HttpApi');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<ServerResponse>();
    const problem = toProblem(exception, (error) =>
      this.logger.error('request failed', error instanceof Error ? error.stack : String(error)),
    );
    sendProblem(response, problem, this.style);
  }
}

/** The same, with OpenAI's `error` member (its SDKs read `error.message`), for the OpenAI-compatible routes. */
@Catch()
export class OpenAiProblemDetailsFilter extends ProblemDetailsFilter {
  protected override readonly style: ProblemStyle = 'openai';
}
