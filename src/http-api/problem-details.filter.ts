import { Catch, Logger, NotFoundException, type ArgumentsHost } from '@nestjs/common';
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

/** A request no route matched (Express sets `route` once one does): a 404 whatever the path. */
function isNoRoute(exception: unknown, request: { route?: unknown }): boolean {
  return exception instanceof NotFoundException && request.route === undefined;
}

/**
 * Answers every failure of the HTTP speech API with an RFC 9457 problem document (`application/problem+json`),
 * including the ones raised before a route runs (a malformed or oversized JSON body), which is why it is global.
 * A request that matches no route at all is a problem document too (404); failures of the other routes get Nest's
 * usual answer, unchanged.
 */
@Catch()
export class ProblemDetailsFilter extends BaseExceptionFilter {
  private readonly logger = new Logger('HttpApi');

  override catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<IncomingMessage & { route?: unknown }>();
    if (host.getType() === 'http' && isNoRoute(exception, request)) {
      const { method, url } = request;
      const path = (url ?? '').split('?')[0].slice(0, 100);
      sendProblem(
        http.getResponse<ServerResponse>(),
        toProblem(new NotFoundException(`no route ${method} ${path}; the routes are listed at /api/docs`)),
        'problem',
      );
      return;
    }
    const style = host.getType() === 'http' ? problemStyleFor(request.url) : null;
    if (style === null) return super.catch(exception, host);
    // The client went away (mid-upload, say): nobody to answer, and nothing went wrong here.
    if (http.getResponse<ServerResponse>().destroyed) return;
    const problem = toProblem(exception, (error) =>
      this.logger.error('request failed', error instanceof Error ? error.stack : String(error)),
    );
    sendProblem(http.getResponse<ServerResponse>(), problem, style);
  }
}
