import { SentenceBuffer } from './sentence-splitter';

/** Most text one streamed turn may carry (the service bounds a turn's SSML at 64 KiB; streamed text is plain). */
export const MAX_STREAMED_TEXT_CHARS = 100_000;

export class TextStreamTooLong extends Error {
  constructor(max: number) {
    super(`Text stream exceeds ${max} characters`);
    this.name = 'TextStreamTooLong';
  }
}

/**
 * The text of one streamed turn as it arrives (`text.piece` messages until `text.end`), handed out unit by unit:
 * a sentence as soon as its last piece is in, the rest at the end of the text. Pieces are plain text, as the
 * SDK labels them (`text/plain`): markup in them is spoken, not interpreted.
 */
export class TextStream {
  private readonly sentences = new SentenceBuffer();
  private readonly ready: string[] = [];
  private chars = 0;
  private ended = false;
  private wake: (() => void) | undefined;

  constructor(private readonly maxChars = MAX_STREAMED_TEXT_CHARS) {}

  /** Throws {@link TextStreamTooLong} past the bound. Text after the end is ignored. */
  push(piece: string): void {
    if (this.ended) return;
    this.chars += piece.length;
    if (this.chars > this.maxChars) throw new TextStreamTooLong(this.maxChars);
    this.ready.push(...this.sentences.push(piece));
    this.notify();
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.ready.push(...this.sentences.finish());
    this.notify();
  }

  /** The next complete unit, if one is ready. */
  take(): string | undefined {
    return this.ready.shift();
  }

  /** Nothing more will come. */
  get done(): boolean {
    return this.ended && this.ready.length === 0;
  }

  /** Resolves once a unit is ready, the text has ended, or `signal` aborts. */
  async wait(signal: AbortSignal): Promise<void> {
    if (this.ready.length > 0 || this.ended || signal.aborted) return;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        signal.removeEventListener('abort', done);
        this.wake = undefined;
        resolve();
      };
      this.wake = done;
      signal.addEventListener('abort', done, { once: true });
    });
  }

  private notify(): void {
    if (this.ready.length > 0 || this.ended) this.wake?.();
  }
}
