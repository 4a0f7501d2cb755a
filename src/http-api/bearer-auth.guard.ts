import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { VoiceAuthenticator } from '../access/api-key-auth';
import { unauthorized } from './http-api-error';
import { HTTP_API_SETTINGS, type HttpApiSettings } from './http-api-options';

const principals = new WeakMap<IncomingMessage, string>();

/** Who made the request (set by BearerAuthGuard): an API key's digest prefix, or `loopback`. */
export function principalOf(request: IncomingMessage): string {
  const principal = principals.get(request);
  if (principal === undefined)
    throw new Error('principalOf() called on a request BearerAuthGuard did not admit');
  return principal;
}

/** The credentials of `Authorization: Bearer <key>`; undefined for any other scheme or none. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '');
  return match?.[1];
}

/**
 * `Authorization: Bearer <key>` against VOICE_API_KEYS, by the Socket.IO handshake's own check (constant-time,
 * every key compared); with no keys configured, only loopback clients (and nothing a proxy forwarded from
 * elsewhere) get in.
 */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  private readonly authenticator: VoiceAuthenticator;

  constructor(@Inject(HTTP_API_SETTINGS) settings: HttpApiSettings) {
    this.authenticator = new VoiceAuthenticator(settings.apiKeys);
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<IncomingMessage>();
    const token = bearerToken(request.headers.authorization);
    const result = this.authenticator.authenticate({
      auth: { token },
      address: request.socket.remoteAddress ?? '',
      headers: request.headers,
    });
    if (!result.ok) {
      if (!this.authenticator.keysConfigured) throw unauthorized(result.reason);
      throw unauthorized(
        token === undefined ? 'missing Authorization: Bearer <API key>' : 'the API key is not valid',
      );
    }
    principals.set(request, result.principal);
    return true;
  }
}
