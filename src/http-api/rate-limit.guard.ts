import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import type { Access } from '../access/access';
import { ACCESS } from '../access/access.module';
import { principalOf } from './bearer-auth.guard';
import { tooManyRequests } from './http-api-error';

/**
 * The caller's request rate (VOICE_REQUEST_RATE / VOICE_REQUEST_BURST), one budget per API key shared with the
 * Socket.IO API; runs after BearerAuthGuard.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(@Inject(ACCESS) private readonly access: Access) {}

  canActivate(context: ExecutionContext): boolean {
    const taken = this.access.quotas.takeRequest(
      principalOf(context.switchToHttp().getRequest<IncomingMessage>()),
    );
    if (taken.ok) return true;
    throw tooManyRequests(taken.message, taken.retryAfterSeconds);
  }
}
