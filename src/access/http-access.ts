import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Access, AccessDecision } from './access';
import { checkBrowserAccess, type BrowserAccessPolicy } from './browser-access';

/** The credentials of `Authorization: Bearer <key>`; undefined for any other scheme or none. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '');
  return match?.[1];
}

/** Authenticates an HTTP request by its bearer token (or, without keys, as a loopback client). */
export function authenticateRequest(access: Access, request: IncomingMessage): AccessDecision {
  const token = bearerToken(request.headers.authorization);
  const decision = access.authenticate({
    auth: { token },
    address: request.socket.remoteAddress ?? '',
    headers: request.headers,
  });
  if (decision.ok || decision.code !== 'UNAUTHORIZED' || !access.keysConfigured) return decision;
  // Never say which part of a key was wrong; only whether one was sent.
  const message =
    token === undefined ? 'missing Authorization: Bearer <API key>' : 'the API key is not valid';
  return { ...decision, message };
}

export interface HttpAccessOptions {
  access: Access;
  browser: BrowserAccessPolicy;
  /** Routes that need a key (or, without keys, a loopback client) and count against the caller's request rate. */
  needsKey: (path: string) => boolean;
}

/** A refusal in the HTTP API's problem format (RFC 9457, warmline's code), for routes outside the HTTP API. */
function refuse(
  response: ServerResponse,
  status: number,
  code: string,
  detail: string,
  retryAfterSeconds?: number,
): void {
  const titles: Record<number, string> = { 401: 'Unauthorized', 403: 'Forbidden', 429: 'Too Many Requests' };
  if (retryAfterSeconds !== undefined) {
    response.setHeader('Retry-After', String(Math.max(1, Math.ceil(retryAfterSeconds))));
  }
  response.statusCode = status;
  response.setHeader('Content-Type', 'application/problem+json');
  response.setHeader('Cache-Control', 'no-store');
  response.end(
    JSON.stringify({
      type: `urn:warmline:error:${code.toLowerCase()}`,
      title: titles[status] ?? 'Error',
      status,
      code,
      detail,
      retryable: status === 429,
    }),
  );
}

/**
 * Connect-style middleware for every HTTP route, in front of everything else: DNS rebinding and foreign Origins
 * are refused with 403 (checkBrowserAccess), and the routes `needsKey` names are authenticated and rate limited
 * like the HTTP API's own (401, 429 with Retry-After).
 */
export function httpAccessMiddleware(
  options: HttpAccessOptions,
): (request: IncomingMessage, response: ServerResponse, next: () => void) => void {
  const { access, browser, needsKey } = options;
  return (request, response, next) => {
    const { host, origin } = request.headers;
    const checked = checkBrowserAccess({ host, origin }, browser);
    if (!checked.ok) return refuse(response, 403, 'UNAUTHORIZED', checked.reason);
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    if (!needsKey(path)) return next();
    const decision = authenticateRequest(access, request);
    if (!decision.ok) {
      const status = decision.code === 'RATE_LIMITED' ? 429 : 401;
      return refuse(response, status, decision.code, decision.message, decision.retryAfterSeconds);
    }
    const taken = access.quotas.takeRequest(decision.principal);
    if (!taken.ok) return refuse(response, 429, 'RATE_LIMITED', taken.message, taken.retryAfterSeconds);
    next();
  };
}
