import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Options } from 'pino-http';
import { redactUrl } from './redaction';

/**
 * Probes and scrapes arrive every few seconds, and a page load fetches its scripts, styles and icon: a line for
 * each would drown everything else.
 */
export function isQuietPath(url: string | undefined): boolean {
  const path = (url ?? '').split('?')[0];
  return (
    path === '/metrics' ||
    path === '/health' ||
    path.startsWith('/health/') ||
    path.startsWith('/assets/') ||
    path === '/favicon.ico'
  );
}

/** An incoming X-Request-Id is kept when it looks like an id (so it cannot inject into log lines). */
const REQUEST_ID = /^[\w.:-]{1,128}$/;

export function requestId(req: IncomingMessage, res: ServerResponse): string {
  const incoming = req.headers['x-request-id'];
  const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
  res.setHeader('x-request-id', id);
  return id;
}

/** `GET /api/v1/pools 200 in 3 ms`: what a person reading the log wants of a request. */
function requestLine(req: IncomingMessage, res: ServerResponse, responseTime: number): string {
  // Express's originalUrl: the URL as it came in, whatever a router did to `url` on the way.
  const url = (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? '';
  return `${req.method ?? '?'} ${redactUrl(url)} ${res.statusCode} in ${Math.round(responseTime)} ms`;
}

/**
 * pino-http options: one short line per request (not for probes, scrapes and static assets) — at debug when it
 * succeeded, warn for 4xx, error for 5xx — with the request's id, method and URL (credentials redacted) and the
 * status; never the headers (a full header block per request buries everything else, and holds credentials).
 */
export function httpLoggingOptions(logger: Logger): Options {
  return {
    logger,
    genReqId: requestId,
    autoLogging: { ignore: (req) => isQuietPath(req.url) },
    customLogLevel: (_req, res, error) => {
      if (error || res.statusCode >= 500) return 'error';
      return res.statusCode >= 400 ? 'warn' : 'debug';
    },
    customSuccessMessage: requestLine,
    customErrorMessage: (req, res) => requestLine(req, res, 0),
    serializers: {
      // pino-http hands custom serializers its already-serialised request.
      req: (req: { id?: unknown; method?: string; url?: string }) => ({
        id: req.id,
        method: req.method,
        url: typeof req.url === 'string' ? redactUrl(req.url) : req.url,
      }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
    },
  };
}
