import { AuthFailures } from './auth-failures';
import { VoiceAuthenticator, type VoiceHandshake } from './api-key-auth';
import { CallerQuotas } from './caller-quotas';

/** Who may call, and how much: what every transport asks before it serves a caller. */
export type AccessDecision =
  | { ok: true; principal: string }
  | { ok: false; code: 'UNAUTHORIZED' | 'RATE_LIMITED'; message: string; retryAfterSeconds?: number };

/**
 * The one owner of access for every transport: authentication (VOICE_API_KEYS, or loopback only without keys),
 * the throttle on failed attempts per client address, and the per-caller quotas. A caller is an API key; without
 * keys only loopback clients are served and they are one caller (the machine itself), sharing one budget.
 */
export class Access {
  constructor(
    private readonly authenticator: VoiceAuthenticator,
    private readonly failures: AuthFailures,
    readonly quotas: CallerQuotas,
  ) {}

  get keysConfigured(): boolean {
    return this.authenticator.keysConfigured;
  }

  /**
   * Authenticates a handshake or a request. An address refused too often recently is refused (RATE_LIMITED)
   * before its key is looked at; every failure counts against its address.
   */
  authenticate(handshake: VoiceHandshake): AccessDecision {
    const address = handshake.address;
    const wait = this.failures.retryAfterSeconds(address);
    if (wait > 0) {
      this.failures.throttled(address);
      return {
        ok: false,
        code: 'RATE_LIMITED',
        message: 'too many failed authentication attempts from this address; retry later',
        retryAfterSeconds: wait,
      };
    }
    const result = this.authenticator.authenticate(handshake);
    if (result.ok) return result;
    this.failures.failed(address, result.reason);
    return { ok: false, code: 'UNAUTHORIZED', message: result.reason };
  }

  /** Logs what failed since the last summary line (shutdown). */
  flush(): void {
    this.failures.flush();
  }
}
