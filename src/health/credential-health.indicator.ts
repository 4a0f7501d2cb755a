import { Inject, Injectable, Optional } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorFunction } from '@nestjs/terminus';
import type { SpeechEndpoint } from '../upstream/speech-endpoint';
import { SPEECH_ENDPOINT } from '../upstream/upstream-tokens';

/**
 * The `credential` readiness entry, on Entra ID only: down once no valid token remains (every client would meet a
 * 401 on its next connect), up again as soon as the credential recovers. Its details never carry the token.
 */
@Injectable()
export class CredentialHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    @Optional() @Inject(SPEECH_ENDPOINT) private readonly endpoint?: SpeechEndpoint,
  ) {}

  checks(): HealthIndicatorFunction[] {
    const tokens = this.endpoint?.tokens;
    if (tokens === undefined) return [];
    return [
      () => {
        const session = this.indicators.check('credential');
        const { valid, expiresAt, lastError } = tokens.status();
        const details = {
          kind: 'entra' as const,
          tokenExpiresAt: expiresAt === null ? null : new Date(expiresAt).toISOString(),
          ...(lastError === null ? {} : { lastError }),
        };
        if (!valid)
          return session.down({ ...details, reason: 'no valid Entra ID token (the credential is failing)' });
        return session.up(details);
      },
    ];
  }
}
