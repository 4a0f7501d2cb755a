import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import type { Access } from '../access/access';
import { ACCESS } from '../access/access.module';
import { authenticateRequest } from '../access/http-access';
import { tooManyRequests, unauthorized } from './http-api-error';

export { bearerToken } from '../access/http-access';

const principals = new WeakMap<IncomingMessage, string>();

/** Who made the request (set by BearerAuthGuard): an API key's digest prefix, or `loopback`. */
export function principalOf(request: IncomingMessage): string {
  const principal = principals.get(request);
  if (principal === undefined)
    throw new Error('principalOf() called on a request BearerAuthGuard did not admit');
  return principal;
}

/**
 * `Authorization: Bearer <key>` against VOICE_API_KEYS, by the same Access as the Socket.IO handshake
 * (constant-time, every key compared; failures throttled per client address); with no keys configured, only
 * loopback clients (and nothing a proxy forwarded from elsewhere) get in.
 */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(@Inject(ACCESS) private readonly access: Access) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<IncomingMessage>();
    const decision = authenticateRequest(this.access, request);
    if (!decision.ok) {
      if (decision.code === 'RATE_LIMITED') {
        throw tooManyRequests(decision.message, decision.retryAfterSeconds ?? 1);
      }
      throw unauthorized(decision.message);
    }
    principals.set(request, decision.principal);
    return true;
  }
}
