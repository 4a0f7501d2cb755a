import type { SynthesisOutcome, TextStream, TextStreamRequest, TtsClient } from '../speech/tts-client';
import { badRequest } from './error-body';
import { illegalCharacterProblem } from './xml-characters';

/** The bounds of one streamed utterance (VOICE_TTS_STREAM_MAX_CHARS, VOICE_TTS_STREAM_IDLE). */
export interface StreamedTextLimits {
  /** Characters the whole stream may carry; a piece that would go past it is refused. */
  maxChars: number;
  /** Longest wait for the next piece before the end; past it `onIdle` is called (once). */
  idleTimeoutMs: number;
}

/** The timers a stream uses; tests pass fake ones. */
export interface StreamTimers {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(timer: unknown): void;
}

export const SYSTEM_STREAM_TIMERS: StreamTimers = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => {
    const timer = setTimeout(callback, ms);
    timer.unref();
    return timer;
  },
  clearTimeout: (timer) => clearTimeout(timer as NodeJS.Timeout),
};

/**
 * The text of one streamed utterance, from the client's first piece to its end, whether or not its synthesis has a
 * synthesizer yet. Pieces are checked (characters XML does not allow, the stream's character bound) and then handed
 * on at once: straight into the SDK's text stream once the turn runs, held in order until then (the stream may wait
 * behind the session's earlier requests). Pieces are plain text all the way: the SDK sends them as `text/plain`, so
 * nothing a client writes is ever read as markup.
 */
export class StreamedText {
  /** When the first non-empty piece arrived (`timers.now()`): a stream's first byte counts from it. */
  firstPieceAt: number | null = null;
  private readonly held: string[] = [];
  private target: TextStream | null = null;
  private chars = 0;
  private ended = false;
  private over = false;
  private idleTimer: unknown;

  constructor(
    private readonly limits: StreamedTextLimits,
    /** No piece came within the idle bound before the end. */
    private readonly onIdle: () => void,
    private readonly timers: StreamTimers = SYSTEM_STREAM_TIMERS,
  ) {
    this.armIdle();
  }

  /** The client said the text is complete. */
  get isEnded(): boolean {
    return this.ended;
  }

  /** Characters received so far. */
  get length(): number {
    return this.chars;
  }

  /**
   * One piece. Throws BAD_REQUEST (and keeps nothing of the piece) after the end, for a character XML does not
   * allow, or past the stream's character bound; the stream itself goes on. A piece for a turn that is over already
   * (canceled, failed) is dropped.
   */
  write(text: string): void {
    if (this.ended) throw badRequest('text after tts.stream.end; start a new stream');
    if (this.over) return;
    const problem = illegalCharacterProblem('text', text);
    if (problem !== null) throw badRequest(problem);
    if (this.chars + text.length > this.limits.maxChars) {
      throw badRequest(
        `the stream would exceed ${this.limits.maxChars} characters (it has ${this.chars}); this piece was ` +
          'refused: end the stream and continue in a new one',
      );
    }
    this.chars += text.length;
    this.armIdle();
    if (text === '') return;
    this.firstPieceAt ??= this.timers.now();
    if (this.target !== null) this.target.write(text);
    else this.held.push(text);
  }

  /** No more text: the upstream speaks what is left. Once only (the caller refuses a second end). */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.stopIdle();
    if (!this.over) this.target?.end();
  }

  /**
   * Runs the stream's turn on `client`: the pieces held so far go first, later ones straight after as they come.
   * Settles as the client's text stream does.
   */
  speakOn(client: TtsClient, request: TextStreamRequest): Promise<SynthesisOutcome> {
    const stream = client.streamText(request);
    for (const piece of this.held.splice(0)) stream.write(piece);
    this.target = stream;
    if (this.ended) stream.end();
    return stream.done;
  }

  /** The turn is over (whatever way): later pieces are dropped, the idle timer stops. */
  close(): void {
    this.over = true;
    this.target = null;
    this.held.length = 0;
    this.stopIdle();
  }

  private armIdle(): void {
    if (this.ended || this.over) return;
    this.stopIdle();
    this.idleTimer = this.timers.setTimeout(() => {
      this.idleTimer = undefined;
      if (!this.ended && !this.over) this.onIdle();
    }, this.limits.idleTimeoutMs);
  }

  private stopIdle(): void {
    if (this.idleTimer === undefined) return;
    this.timers.clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }
}
