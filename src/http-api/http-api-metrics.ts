import { Inject, Injectable, Optional, type NestMiddleware } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Counter, Registry } from 'prom-client';
import { METRICS_REGISTRY } from '../metrics/metrics-registry';

export const HTTP_REQUESTS_METRIC = 'warmline_http_requests_total';

/** The Express request: `originalUrl` is the URL as it came in, whatever prefix a router stripped. */
type RoutedRequest = IncomingMessage & { originalUrl?: string };

/** The routes' paths: any other path is counted as `other`, so a client cannot grow the series without bound. */
export const HTTP_API_ROUTES: ReadonlySet<string> = new Set([
  '/api/v1/tts',
  '/api/v1/stt',
  '/api/v1/voices',
  '/v1/audio/speech',
  '/v1/audio/transcriptions',
]);

/**
 * `warmline_http_requests_total{route, method, status}`: every request to the HTTP speech API when its response
 * is over, by the route's path (one of HTTP_API_ROUTES, else `other`) and the status
 * sent, or `disconnected` when the client left before the response was complete. What each synthesis and
 * recognition did is counted by the services (`warmline_speech_requests_total{transport}`); this counts the HTTP
 * side: refusals before any work (401, 413, 415, 429) included.
 */
@Injectable()
export class HttpApiMetrics implements NestMiddleware<RoutedRequest, ServerResponse> {
  private readonly requests: Counter<'route' | 'method' | 'status'>;

  constructor(@Optional() @Inject(METRICS_REGISTRY) registry?: Registry) {
    this.requests = new Counter({
      name: HTTP_REQUESTS_METRIC,
      help: 'HTTP speech API requests by route pattern, method and status (or disconnected)',
      labelNames: ['route', 'method', 'status'],
      registers: [registry ?? new Registry()],
    });
  }

  use(request: RoutedRequest, response: ServerResponse, next: () => void): void {
    response.once('close', () => {
      const path = (request.originalUrl ?? request.url ?? '').split('?')[0].replace(/\/$/, '');
      const route = HTTP_API_ROUTES.has(path) ? path : 'other';
      const status = response.writableFinished ? String(response.statusCode) : 'disconnected';
      this.requests.inc({ route, method: request.method ?? 'GET', status });
    });
    next();
  }
}
