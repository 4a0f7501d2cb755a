import type { AccessToken, TokenCredential } from '@azure/identity';
import type { AuthorizationToken, SpeechTokens } from '../../speech/speech-tokens';

/** The scope of every Azure AI services token. */
export const COGNITIVE_SERVICES_SCOPE = 'https://cognitiveservices.azure.com/.default';

export interface EntraTokenSourceOptions {
  credential: TokenCredential;
  /** The Speech resource's id: the SDK's token form names it (`aad#<resource id>#<access token>`). */
  resourceId: string;
  /** A token is replaced this long before it expires, or at half its lifetime when that comes later. */
  refreshSkewMs: number;
  /** Log lines: one per change of state, never a token. */
  logger: { log(message: string): void; warn(message: string): void };
  /** First retry after a failure; doubles up to `retryMaxMs`. */
  retryMinMs?: number;
  retryMaxMs?: number;
  now?: () => number;
}

export interface EntraTokenStatus {
  /** A token the service accepts is at hand. */
  valid: boolean;
  /** When the current token expires (epoch ms); null before the first one. */
  expiresAt: number | null;
  /** The credential's last failure, until it succeeds again. */
  lastError: string | null;
}

/** Shortest wait between two fetches, so a credential handing out nearly expired tokens cannot spin. */
const MIN_REFRESH_DELAY_MS = 250;
/** The credential's messages can be long (DefaultAzureCredential lists every credential it tried). */
const MAX_ERROR_LENGTH = 400;

/**
 * Entra ID tokens for the Speech service from an `@azure/identity` credential, refreshed ahead of expiry for
 * every client at once: each new token goes to every subscriber (the pooled clients apply it to their SDK
 * objects). A failing credential keeps being retried with backoff while the current token lasts and after; it
 * logs one line when it starts failing (or fails differently), one when no valid token remains, and one when it
 * recovers. The token itself is never logged.
 */
export class EntraTokenSource implements SpeechTokens {
  // True private fields: neither JSON.stringify, util.inspect nor a deep equality ever reaches the token or the
  // credential (whose MSAL internals also throw from getters), wherever a client's target ends up.
  #token: AuthorizationToken | null = null;
  readonly #credential: TokenCredential;
  private readonly listeners = new Set<(token: AuthorizationToken) => void>();
  private timer: NodeJS.Timeout | undefined;
  private expiryTimer: NodeJS.Timeout | undefined;
  private lastError: string | null = null;
  private failures = 0;
  private fetching: Promise<void> | null = null;
  private stopped = false;
  private announced = false;
  private readonly now: () => number;

  private readonly options: Omit<EntraTokenSourceOptions, 'credential'>;

  constructor({ credential, ...options }: EntraTokenSourceOptions) {
    this.#credential = credential;
    this.options = options;
    this.now = options.now ?? Date.now;
  }

  /** Fetches the first token and schedules every later one. Resolves either way: a failure is logged and retried. */
  start(): Promise<void> {
    return this.refresh();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    clearTimeout(this.expiryTimer);
    this.listeners.clear();
  }

  current(now = this.now()): AuthorizationToken | null {
    return this.#token !== null && now < this.#token.expiresAt ? this.#token : null;
  }

  subscribe(listener: (token: AuthorizationToken) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  status(): EntraTokenStatus {
    return {
      valid: this.current() !== null,
      expiresAt: this.#token?.expiresAt ?? null,
      lastError: this.lastError,
    };
  }

  /** One fetch at a time; a call while one runs waits for it. */
  refresh(): Promise<void> {
    this.fetching ??= this.fetch().finally(() => (this.fetching = null));
    return this.fetching;
  }

  private async fetch(): Promise<void> {
    let access: AccessToken | null;
    try {
      access = await this.#credential.getToken(COGNITIVE_SERVICES_SCOPE);
      if (access === null) throw new Error('the credential returned no token');
    } catch (error) {
      if (!this.stopped) this.failed(error);
      return;
    }
    if (this.stopped) return;
    this.succeeded(access);
  }

  private succeeded(access: AccessToken): void {
    const issuedAt = this.now();
    const token: AuthorizationToken = {
      value: `aad#${this.options.resourceId}#${access.token}`,
      expiresAt: access.expiresOnTimestamp,
    };
    this.#token = token;
    clearTimeout(this.expiryTimer);
    if (this.lastError !== null) {
      this.options.logger.log(
        `Entra ID credential recovered: speech clients have a valid token again (valid ${seconds(token.expiresAt - issuedAt)} s)`,
      );
    } else if (!this.announced) {
      this.options.logger.log(
        `Entra ID token acquired for the speech service (valid ${seconds(token.expiresAt - issuedAt)} s)`,
      );
    }
    this.announced = true;
    this.lastError = null;
    this.failures = 0;
    for (const listener of this.listeners) listener(token);
    const lifetime = token.expiresAt - issuedAt;
    const lead = Math.min(this.options.refreshSkewMs, lifetime / 2);
    this.schedule(Math.max(token.expiresAt - lead - issuedAt, MIN_REFRESH_DELAY_MS));
  }

  private failed(error: unknown): void {
    this.failures++;
    const message = oneLine(error);
    const delay = Math.min(
      (this.options.retryMinMs ?? 1_000) * 2 ** (this.failures - 1),
      this.options.retryMaxMs ?? 30_000,
    );
    const valid = this.current();
    if (message !== this.lastError) {
      const remaining =
        valid === null
          ? 'no valid token remains: readiness is down until it recovers'
          : `the current token stays valid for ${seconds(valid.expiresAt - this.now())} s`;
      this.options.logger.warn(`Entra ID credential failed (${message}); ${remaining}; retrying`);
      this.lastError = message;
    }
    if (valid !== null) this.warnAtExpiry(valid.expiresAt);
    // Never wait past the current token's expiry for the next attempt.
    const untilExpiry = valid === null ? delay : Math.max(valid.expiresAt - this.now(), MIN_REFRESH_DELAY_MS);
    this.schedule(Math.min(delay, untilExpiry));
  }

  /** One line when the last valid token runs out while the credential is still failing. */
  private warnAtExpiry(expiresAt: number): void {
    clearTimeout(this.expiryTimer);
    this.expiryTimer = setTimeout(
      () => {
        if (this.lastError !== null && this.current() === null) {
          this.options.logger.warn(
            'the last Entra ID token expired: no valid token remains, readiness is down',
          );
        }
      },
      Math.max(expiresAt - this.now(), 0),
    );
    this.expiryTimer.unref();
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.refresh(), delayMs);
    this.timer.unref();
  }
}

function seconds(ms: number): number {
  return Math.round(ms / 100) / 10;
}

function oneLine(error: unknown): string {
  const text = (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim();
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH)}…` : text;
}
