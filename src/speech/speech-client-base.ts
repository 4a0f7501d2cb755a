import type { CancellationErrorCode } from 'microsoft-cognitiveservices-speech-sdk';
import { SpeechError } from './speech-error';
import { redactSecrets, type SpeechTarget } from './speech-target';
import { upstreamError } from './upstream-error';

export type SpeechClientKind = 'TTS' | 'STT';

/** Ids are per kind and only for logs and errors ("TTS client 3 is broken"). */
const nextIds: Record<SpeechClientKind, number> = { TTS: 1, STT: 1 };

/**
 * What the TTS and STT clients share: an id, the broken/disposed states that make a client unusable, the mapping
 * of SDK failures to SpeechErrors (with the key redacted), and a dispose that runs its close exactly once.
 */
export abstract class SpeechClientBase {
  readonly id: number;
  private broken = false;
  private disposal: Promise<void> | null = null;

  protected constructor(
    private readonly kind: SpeechClientKind,
    protected readonly target: SpeechTarget,
  ) {
    this.id = nextIds[kind]++;
  }

  /**
   * Usable: neither broken nor disposed. Never "idle": a client that is busy, or whose idle socket dropped (the
   * SDK reconnects on next use), is still usable. Subclasses may narrow it further.
   */
  isReady(): boolean {
    return !this.broken && this.disposal === null;
  }

  get isDisposed(): boolean {
    return this.disposal !== null;
  }

  /** Closes the client once; every later call returns the same promise. */
  dispose(): Promise<void> {
    this.disposal ??= this.close();
    return this.disposal;
  }

  /** Releases the SDK objects; resolves when their sockets are gone. Called once, by dispose(). */
  protected abstract close(): Promise<void>;

  /** After a failure the SDK's state is suspect: the pool destroys a broken client instead of reusing it. */
  protected markBroken(): void {
    this.broken = true;
  }

  protected assertUsable(): void {
    if (this.disposal) throw new SpeechError('INTERNAL', `${this.kind} client ${this.id} is disposed`);
    if (this.broken) {
      throw new SpeechError('UPSTREAM_UNAVAILABLE', `${this.kind} client ${this.id} is broken`);
    }
  }

  protected mapError(what: string, code: CancellationErrorCode | undefined, details: string): SpeechError {
    return upstreamError(what, code, redactSecrets(details, this.target));
  }
}

/** Resolves true when `promise` settles within `ms`, false when the deadline comes first. Never rejects. */
export async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([
      promise.then(
        () => true,
        () => true,
      ),
      deadline,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
