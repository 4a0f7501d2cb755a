import type { SpeechTarget } from './speech-target';

/**
 * Keeps one client's SDK objects on the newest token: every token the target's source issues is written into
 * the synthesizer's or recognizer's `authorizationToken`, which the SDK reads on every (re)connect. A client on a
 * key, or on no credential at all, has nothing to keep fresh and is always valid.
 */
export class TokenBinding {
  private expiresAt = Number.POSITIVE_INFINITY;
  private readonly unsubscribe: () => void;

  constructor(target: SpeechTarget, apply: (value: string) => void) {
    const tokens = target.key ? undefined : target.tokens;
    if (tokens === undefined) {
      this.unsubscribe = () => undefined;
      return;
    }
    this.expiresAt = tokens.current()?.expiresAt ?? 0;
    this.unsubscribe = tokens.subscribe((token) => {
      apply(token.value);
      this.expiresAt = token.expiresAt;
    });
  }

  /** The token the client would present on its next connect is still valid. */
  isValid(now = Date.now()): boolean {
    return now < this.expiresAt;
  }

  dispose(): void {
    this.unsubscribe();
  }
}
