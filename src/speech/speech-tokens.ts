/**
 * An authorization token for the Speech service, in the form the SDK sends as `Authorization: Bearer …`
 * (for Entra ID: `aad#<resource id>#<access token>`). `value` is a secret: it never goes into a log line, an
 * error message, a snapshot or a metric.
 */
export interface AuthorizationToken {
  readonly value: string;
  /** Epoch ms after which the upstream refuses it. */
  readonly expiresAt: number;
}

/**
 * Where speech clients get their token from, kept fresh by its owner. Clients read `current()` when they are made
 * and apply every later token to their SDK objects, so a reconnect (after an idle close or a drop) always
 * presents a token the upstream accepts.
 */
export interface SpeechTokens {
  /** The newest token while it is still valid at `now`; null when there is none (the credential is failing). */
  current(now?: number): AuthorizationToken | null;
  /** Calls `listener` with every new token; returns the unsubscribe. */
  subscribe(listener: (token: AuthorizationToken) => void): () => void;
}
