import { Catch, Logger, type ArgumentsHost } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { toProblem } from './problem-details';
import { sendProblem, type ProblemStyle } from './problem-response';

/** The HTTP speech API's paths, and how each family words its problems. */
export function problemStyleFor(url: string | undefined): ProblemStyle | null {
  const path = (url ?? '').split('?')[0];
  if (path.startsWith('/v1/audio/')) return 'openai';
  if (/^\/api\/v1\/(tts|stt|voices)(\/|$)/.test(path)) return 'problem';
  return null;
}

/**
 * Answers every failure of the HTTP speech API with an RFC 9457 problem document (`application/problem+json`),
 * including the ones raised before a route runs (a malformed or oversized JSON body), which is why it is global.
 * Requests to any other path get Nest's usual answer, unchanged.
 */
@Catch()
export class ProblemDetailsFilter extends BaseExceptionFilter {
  private readonly logger = new Logger('HttpApi');

  override catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const style = host.getType() === 'http' ? problemStyleFor(http.getRequest<IncomingMessage>().url) : null;
    if (style === null) return super.catch(exception, host);
    // The client went away (mid-upload, say): nobody to answer, and nothing went wrong here.
    if (http.getResponse<ServerResponse>().destroyed) return;
    const problem = toProblem(exception, (error) =>
      this.logger.error('request failed', error instanceof Error ? error.stack : String(error)),
    );
    sendProblem(http.getResponse<ServerResponse>(), problem, style);
  }
}
