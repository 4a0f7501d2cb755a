import type { SpeechSynthesisRequestInputStream } from 'microsoft-cognitiveservices-speech-sdk';
import { SpeechError } from './speech-error';
import { WordLocator } from './word-timing';

/**
 * The caller's side of one streamed turn: each piece goes straight into the SDK's request (which holds pieces
 * written before its turn starts, and sends each as its own `text.piece` message after), the idle bound between
 * pieces, and the text so far for locating words. Pieces are plain text: the SDK sends them as `text/plain` and the
 * service does not read markup in a text stream, so nothing is escaped. Once the turn is over nothing more reaches
 * the SDK: a late write or close on a finished request would be sent on whatever turn the synthesizer runs next.
 */
export class TextStreamInput {
  readonly words = new WordLocator('');
  /** When the first piece was written: a streamed turn's first byte counts from it. */
  firstWriteAt: number | null = null;
  /** Called once when no piece came for `idleTimeoutMs` before the end. */
  onIdle: (() => void) | undefined;
  /** Called once when the text has ended. */
  onEnd: (() => void) | undefined;
  /** No piece came within the idle bound. */
  idleExpired = false;
  private ended = false;
  private over = false;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly sdkInput: SpeechSynthesisRequestInputStream,
    private readonly idleTimeoutMs: number | undefined,
  ) {
    if (idleTimeoutMs !== undefined) {
      this.idleTimer = setTimeout(() => {
        this.idleTimer = undefined;
        this.idleExpired = true;
        this.onIdle?.();
      }, idleTimeoutMs);
    }
  }

  idleError(): SpeechError {
    return new SpeechError(
      'TIMEOUT',
      `no text for ${this.idleTimeoutMs ?? 0} ms; the text stream was stopped`,
    );
  }

  get isEnded(): boolean {
    return this.ended;
  }

  write(text: string): void {
    if (this.ended) throw new SpeechError('BAD_REQUEST', 'text written after the end of the text stream');
    if (this.over || text === '') return;
    this.firstWriteAt ??= performance.now();
    this.words.append(text);
    this.idleTimer?.refresh();
    this.sdkInput.write(text);
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.stopIdleTimer();
    if (!this.over) this.sdkInput.close();
    this.onEnd?.();
  }

  /** The turn is over (done, canceled or failed): later writes are dropped, the SDK's request is left alone. */
  finish(): void {
    this.over = true;
    this.onIdle = undefined;
    this.onEnd = undefined;
    this.stopIdleTimer();
  }

  private stopIdleTimer(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }
}
