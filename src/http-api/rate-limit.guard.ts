import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { principalOf } from './bearer-auth.guard';
import { tooManyRequests } from './http-api-error';
import { HTTP_API_SETTINGS, type HttpApiSettings } from './http-api-options';
import { RequestRateLimiter } from './request-rate-limiter';

/** The per-key request rate (VOICE_REQUEST_RATE / VOICE_REQUEST_BURST); runs after BearerAuthGuard. */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    @Inject(HTTP_API_SETTINGS) private readonly settings: HttpApiSettings,
    private readonly limiter: RequestRateLimiter,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const decision = this.limiter.take(principalOf(context.switchToHttp().getRequest<IncomingMessage>()));
    if (decision.ok) return true;
    throw tooManyRequests(
      `more than ${this.settings.requestsPerSecond} requests per second (burst ${this.settings.requestBurst}) ` +
        'for this API key',
      decision.retryAfterSeconds,
    );
  }
}
