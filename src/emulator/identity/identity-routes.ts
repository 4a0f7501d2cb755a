import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  KEY_EXCHANGE_TOKEN_TTL_MS,
  MANAGED_IDENTITY_TOKEN_TTL_MS,
  type TokenRegistry,
} from './token-registry';

/** App Service's managed identity endpoint, as `IDENTITY_ENDPOINT` names it for `ManagedIdentityCredential`. */
export const MANAGED_IDENTITY_PATH = '/msi/token';
/** The Speech resource's key exchange: a key in, a 10-minute bearer token out. */
export const ISSUE_TOKEN_PATH = '/sts/v1.0/issueToken';

export interface IdentityApi {
  tokens: TokenRegistry;
  /** The `tokenTtlMs` fault: the lifetime of every token issued; null = the service's own lifetimes. */
  tokenTtlMs(): number | null;
  /** Whether the request carries the key the `requireKey` fault asks for (always true without that fault). */
  keyAccepted(req: IncomingMessage): boolean;
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  type = 'application/json; charset=utf-8',
): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': type,
    'Content-Length': String(Buffer.byteLength(text)),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}

/**
 * `GET /msi/token?resource=…&api-version=…` with header `X-IDENTITY-HEADER` (any non-empty value: the emulator
 * cannot know the secret App Service would have set) answers `{ access_token, expires_on, resource, token_type }`
 * with `expires_on` in epoch seconds, as App Service does. `POST /sts/v1.0/issueToken` with the key (subject to
 * `requireKey`) answers the token as plain text. Returns false for any other path.
 */
export function handleIdentityRequest(req: IncomingMessage, res: ServerResponse, api: IdentityApi): boolean {
  const url = new URL(req.url ?? '/', 'http://emulator');
  const path = url.pathname.replace(/\/+$/, '');
  const method = (req.method ?? 'GET').toUpperCase();
  if (path === MANAGED_IDENTITY_PATH) {
    if (method !== 'GET') {
      res.setHeader('Allow', 'GET');
      send(res, 405, { error: `${method} is not allowed on ${path}; use GET` });
    } else if (!req.headers['x-identity-header']) {
      send(res, 401, {
        error: 'invalid_request',
        error_description: 'The X-IDENTITY-HEADER header is missing',
      });
    } else {
      const resource = url.searchParams.get('resource');
      if (!resource) {
        send(res, 400, { error: 'invalid_request', error_description: 'The resource parameter is missing' });
      } else {
        const { token, expiresAt } = api.tokens.issue(api.tokenTtlMs() ?? MANAGED_IDENTITY_TOKEN_TTL_MS);
        send(res, 200, {
          access_token: token,
          // Rounded down: a client must never believe a token lives longer than it does.
          expires_on: String(Math.floor(expiresAt / 1000)),
          resource,
          token_type: 'Bearer',
          client_id: '00000000-0000-0000-0000-000000000000',
        });
      }
    }
    return true;
  }
  if (path === ISSUE_TOKEN_PATH) {
    if (method !== 'POST') {
      res.setHeader('Allow', 'POST');
      send(res, 405, { error: `${method} is not allowed on ${path}; use POST` });
    } else if (!api.keyAccepted(req)) {
      send(res, 401, { error: { code: '401', message: 'Access denied due to invalid subscription key' } });
    } else {
      send(res, 200, api.tokens.issue(api.tokenTtlMs() ?? KEY_EXCHANGE_TOKEN_TTL_MS).token, 'text/plain');
    }
    req.resume();
    return true;
  }
  return false;
}
