import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Access } from '../access/access';
import { ACCESS } from '../access/access.module';
import { principalOf } from './bearer-auth.guard';
import { tooManyRequests } from './http-api-error';

/**
 * One of the caller's VOICE_MAX_CONCURRENT_PER_KEY slots for a synthesis or recognition route, shared with the
 * Socket.IO API: held from the start of the request (before an upload's first byte is read) until its response
 * has closed, however it ends. Runs after BearerAuthGuard and RateLimitGuard.
 */
@Injectable()
export class WorkSlotGuard implements CanActivate {
  constructor(@Inject(ACCESS) private readonly access: Access) {}

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    const slot = this.access.quotas.beginWork(principalOf(http.getRequest<IncomingMessage>()));
    if (!slot.ok) throw tooManyRequests(slot.message, slot.retryAfterSeconds);
    const response = http.getResponse<ServerResponse>();
    if (response.closed) slot.release();
    else response.once('close', slot.release);
    return true;
  }
}
