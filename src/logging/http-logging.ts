import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Options } from 'pino-http';
import { redactUrl } from './redaction';

/** Probes and scrapes arrive every few seconds; a line for each would drown everything else. */
export function isQuietPath(url: string | undefined): boolean {
  const path = (url ?? '').split('?')[0];
  return path === '/metrics' || path === '/health' || path.startsWith('/health/');
}

/** An incoming X-Request-Id is kept when it looks like an id (so it cannot inject into log lines). */
const REQUEST_ID = /^[\w.:-]{1,128}$/;

export function requestId(req: IncomingMessage, res: ServerResponse): string {
  const incoming = req.headers['x-request-id'];
  const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
  res.setHeader('x-request-id', id);
  return id;
}

/** pino-http options: one line per request (not for probes and scrapes), 4xx warn, 5xx error. */
export function httpLoggingOptions(logger: Logger): Options {
  return {
    logger,
    genReqId: requestId,
    autoLogging: { ignore: (req) => isQuietPath(req.url) },
    customLogLevel: (_req, res, error) => {
      if (error || res.statusCode >= 500) return 'error';
      return res.statusCode >= 400 ? 'warn' : 'info';
    },
    serializers: {
      // pino-http hands custom serializers its already-serialised request.
      req: (req: { url?: string }) =>
        typeof req.url === 'string' ? Object.assign(req, { url: redactUrl(req.url) }) : req,
    },
  };
}
