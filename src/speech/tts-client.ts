import {
  CancellationDetails,
  Connection,
  ResultReason,
  SpeechSynthesisEventArgs,
  SpeechSynthesisResult,
  SpeechSynthesizer,
} from 'microsoft-cognitiveservices-speech-sdk';
import { DEFAULT_WIRE_FORMAT, sdkOutputFormat, type WireFormat } from './audio-format';
import { closeSdkClient } from './close-sdk-client';
import { ConnectionWatch, detachHandler } from './connection-watch';
import { sdkObjectCensus, type SdkObjectCensus } from './sdk-object-census';
import { SpeechClientBase, settlesWithin } from './speech-client-base';
import { SpeechError } from './speech-error';
import { createSpeechConfig, type SpeechTarget } from './speech-target';
import { textToSsml } from './ssml';
import { SynthesizerInternals } from './synthesizer-internals';

export interface TtsClientOptions {
  target: SpeechTarget;
  /** The synthesizer's configured voice: the warm-up utterance speaks with it. */
  defaultVoice: string;
  /**
   * Longest a synthesis may go without progress (no first byte, or no next chunk) before it fails with TIMEOUT
   * and the client is marked broken. A stall, not a length: long texts stream for as long as audio keeps coming.
   */
  synthesisTimeoutMs?: number;
  /** Longest warm() waits for the socket to come up. */
  connectTimeoutMs?: number;
  /**
   * Longest a stopped turn (canceled, aborted or over its audio bound) may take to end once the upstream was
   * asked to stop, before the client is marked broken so the pool destroys it and its socket.
   */
  stopTimeoutMs?: number;
  /** Audio bytes one synthesis may produce unless the request says otherwise; unbounded when absent. */
  maxAudioBytes?: number;
  /** Where the SDK objects are counted; the process's census by default. */
  census?: SdkObjectCensus;
}

export interface SynthesisRequest {
  ssml: string;
  format?: WireFormat;
  /** Aborting ends the call at once (resolved as canceled) and asks the upstream to stop the turn. */
  signal?: AbortSignal;
  /** Overrides the client's no-progress deadline for this request. */
  timeoutMs?: number;
  /** Past this many audio bytes the turn is stopped and the call rejects with BAD_REQUEST naming the bound. */
  maxAudioBytes?: number;
  onChunk?: (chunk: Buffer) => void;
}

export interface SynthesisOutcome {
  /** ms from the call to the first audio chunk; null when no audio arrived. */
  firstByteMs: number | null;
  totalMs: number;
  bytes: number;
  canceled: boolean;
}

/** One SDK turn, from speak to the SDK's last word on it. It may outlive the call that started it (stopping). */
interface Turn {
  /** Settles when the SDK reports the turn over, or the client gave up on it. */
  readonly ended: Promise<void>;
  readonly end: () => void;
  /** The SDK has sent our SSML, so a stop now names this turn (before that it would name the previous one). */
  started: boolean;
  /** Nobody wants this turn's audio any more: the upstream is asked to stop it once it has started. */
  stopping: boolean;
  stopSent: boolean;
  /** Ends the caller's wait, if it is still waiting: as canceled, or with an error. */
  settle: (error: SpeechError | null, canceled: boolean) => void;
}

const WARMUP_TIMEOUT_MS = 5_000;

/**
 * One SpeechSynthesizer with its kept Connection: the unit the TTS pool holds. The SDK queues concurrent
 * syntheses on one synthesizer, so parallelism comes from several clients, never from sharing one.
 *
 * A client holds no session state. When a holder lets go of it mid-turn (barge-in), `clearSessionState()` asks
 * the upstream to stop that turn and waits, briefly, for it to end: the pool does this off to the side while the
 * session gets another client.
 */
export class TtsClient extends SpeechClientBase {
  private readonly synthesizer: SpeechSynthesizer;
  private readonly internals: SynthesizerInternals;
  private readonly connection: ConnectionWatch;
  private readonly synthesisTimeoutMs: number;
  private readonly connectTimeoutMs: number;
  private readonly stopTimeoutMs: number;
  private format: WireFormat = DEFAULT_WIRE_FORMAT;
  private turn: Turn | null = null;
  /** synthesize() calls under way, including ones still waiting for the previous turn to end. */
  private calls = 0;

  constructor(private readonly options: TtsClientOptions) {
    super('TTS', options.target);
    this.synthesisTimeoutMs = options.synthesisTimeoutMs ?? 10_000;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
    this.stopTimeoutMs = options.stopTimeoutMs ?? 1_500;
    const config = createSpeechConfig(options.target);
    config.speechSynthesisOutputFormat = sdkOutputFormat(this.format);
    config.speechSynthesisVoiceName = options.defaultVoice;
    // null audio config: a server has no speaker to play to.
    this.synthesizer = new SpeechSynthesizer(config, null);
    this.internals = new SynthesizerInternals(this.synthesizer);
    this.internals.discardResultAudio();
    const connection = Connection.fromSynthesizer(this.synthesizer);
    this.connection = new ConnectionWatch(connection, (what, details) =>
      this.mapError(what, undefined, details),
    );
    const census = options.census ?? sdkObjectCensus;
    census.track('synthesizers', this.synthesizer);
    census.track('connections', connection);
  }

  /** The socket is up now. A client whose idle socket dropped is still usable: the next synthesis reconnects. */
  get isConnected(): boolean {
    return this.connection.isConnected;
  }

  /** A synthesis is under way, or a turn is still stopping after a cancel. */
  get busy(): boolean {
    return this.calls > 0 || this.turn !== null;
  }

  /**
   * Stops a turn its holder let go of and resolves once the turn has ended. When it does not end within
   * `stopTimeoutMs`, the client is marked broken instead, so the pool destroys it (and the socket with it).
   * Never rejects. A turn still streaming for a caller is stopped too: that caller's call resolves as canceled.
   */
  async clearSessionState(): Promise<void> {
    const turn = this.turn;
    if (turn === null || this.isDisposed) return;
    this.stopTurn(turn);
    await this.awaitStoppedTurn(turn);
  }

  /**
   * Pre-connects when the socket is down; when it is up, speaks a one-word utterance so the socket (and the
   * voice) stays hot and the upstream's idle timer restarts: we refresh before the upstream drops an idle socket
   * rather than race its close (docs/speech-sdk-notes.md).
   */
  async warm(): Promise<boolean> {
    this.assertUsable();
    if (this.connection.isConnected) {
      // A short deadline: a warm-up must never hold up a pool's shutdown for a full synthesis deadline.
      await this.synthesize({
        ssml: textToSsml('.', this.options.defaultVoice),
        timeoutMs: WARMUP_TIMEOUT_MS,
      });
    } else {
      await this.connection.open(this.connectTimeoutMs);
    }
    return true;
  }

  /**
   * Streams one synthesis. Resolves after the last chunk, or at once as canceled when `signal` aborts; rejects
   * with a SpeechError. Every synthesis has a no-progress deadline because the SDK can hang forever when a socket
   * closes mid-turn; on expiry the client is broken.
   */
  async synthesize(request: SynthesisRequest): Promise<SynthesisOutcome> {
    this.assertUsable();
    this.calls++;
    try {
      return await this.synthesizeNext(request);
    } finally {
      this.calls--;
    }
  }

  private async synthesizeNext(request: SynthesisRequest): Promise<SynthesisOutcome> {
    const started = performance.now();
    const canceledEarly = (): SynthesisOutcome => ({
      firstByteMs: null,
      totalMs: performance.now() - started,
      bytes: 0,
      canceled: true,
    });
    if (request.signal?.aborted) return canceledEarly();
    await this.settlePreviousTurn();
    this.assertUsable();
    if (request.signal?.aborted) return canceledEarly();
    const format = request.format ?? DEFAULT_WIRE_FORMAT;
    if (format !== this.format) {
      this.internals.setOutputFormat(sdkOutputFormat(format));
      this.format = format;
    }
    return this.runTurn(request, started);
  }

  private runTurn(request: SynthesisRequest, started: number): Promise<SynthesisOutcome> {
    const { signal, onChunk } = request;
    const maxAudioBytes = request.maxAudioBytes ?? this.options.maxAudioBytes ?? Number.POSITIVE_INFINITY;
    const timeoutMs = request.timeoutMs ?? this.synthesisTimeoutMs;
    let firstByteMs: number | null = null;
    let bytes = 0;

    return new Promise<SynthesisOutcome>((resolve, reject) => {
      let settled = false;
      const settle = (error: SpeechError | null, canceled: boolean): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        // Unset rather than a no-op: the SDK then skips building event args for the chunks still coming.
        detachHandler(this.synthesizer, 'synthesizing');
        if (error) reject(error);
        else resolve({ firstByteMs, totalMs: performance.now() - started, bytes, canceled });
      };
      const turn = this.beginTurn(settle);
      const onAbort = (): void => this.stopTurn(turn);
      const timer = setTimeout(() => {
        this.markBroken();
        this.endTurn(turn);
        settle(new SpeechError('TIMEOUT', `synthesis made no progress for ${timeoutMs} ms`), false);
      }, timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });

      this.synthesizer.synthesisStarted = () => {
        turn.started = true;
        if (turn.stopping) this.sendStop(turn);
      };
      this.synthesizer.synthesizing = (_sender: unknown, event: SpeechSynthesisEventArgs) => {
        if (settled) return;
        const chunk = Buffer.from(event.result.audioData);
        if (chunk.length === 0) return;
        timer.refresh();
        if (bytes + chunk.length > maxAudioBytes) {
          settle(
            new SpeechError(
              'BAD_REQUEST',
              `the synthesis would produce more than ${maxAudioBytes} bytes of audio (maxAudioBytes); it was stopped`,
            ),
            false,
          );
          this.stopTurn(turn);
          return;
        }
        firstByteMs ??= performance.now() - started;
        bytes += chunk.length;
        onChunk?.(chunk);
      };
      try {
        this.synthesizer.speakSsmlAsync(
          request.ssml,
          (result: SpeechSynthesisResult) => {
            this.endTurn(turn);
            if (result.reason === ResultReason.SynthesizingAudioCompleted) return settle(null, false);
            // After any cancel the SDK's connection state is suspect: recycle this client.
            this.markBroken();
            const details = CancellationDetails.fromResult(result);
            settle(this.mapError('synthesis', details.ErrorCode, details.errorDetails ?? ''), false);
          },
          (error: string) => {
            this.endTurn(turn);
            this.markBroken();
            settle(this.mapError('synthesis', undefined, error), false);
          },
        );
      } catch (error) {
        // A synchronous throw makes the SDK dispose the synthesizer itself.
        this.endTurn(turn);
        this.markBroken();
        settle(this.mapError('synthesis', undefined, String(error)), false);
      }
    });
  }

  private beginTurn(settle: Turn['settle']): Turn {
    let end!: () => void;
    const ended = new Promise<void>((resolve) => (end = resolve));
    const turn: Turn = { ended, end, started: false, stopping: false, stopSent: false, settle };
    this.turn = turn;
    return turn;
  }

  private endTurn(turn: Turn): void {
    turn.end();
    if (this.turn !== turn) return;
    this.turn = null;
    detachHandler(this.synthesizer, 'synthesisStarted');
  }

  /** The caller is done with this turn: end its wait as canceled and ask the upstream to stop producing audio. */
  private stopTurn(turn: Turn): void {
    turn.settle(null, true);
    if (turn.stopping) return;
    turn.stopping = true;
    if (turn.started) this.sendStop(turn);
  }

  private sendStop(turn: Turn): void {
    if (turn.stopSent || this.turn !== turn) return;
    turn.stopSent = true;
    // A failed send leaves the turn running: the bounded wait for its end then breaks the client.
    this.internals.requestStop().catch(() => undefined);
  }

  /** Waits for a stopped turn to end, at most `stopTimeoutMs`; past that the client is broken. */
  private async awaitStoppedTurn(turn: Turn): Promise<void> {
    if (await settlesWithin(turn.ended, this.stopTimeoutMs)) return;
    this.markBroken();
    this.endTurn(turn);
  }

  /** One turn at a time: a stopping turn is waited for (bounded), a running one until it ends (its deadline). */
  private async settlePreviousTurn(): Promise<void> {
    for (let turn = this.turn; turn !== null; turn = this.turn) {
      if (turn.stopping) await this.awaitStoppedTurn(turn);
      else await turn.ended;
    }
  }

  /** Detaches every handler and closes the synthesizer; resolves when its socket is gone. */
  protected async close(): Promise<void> {
    const turn = this.turn;
    if (turn !== null) {
      turn.settle(
        new SpeechError('INTERNAL', `TTS client ${this.id} was disposed during the synthesis`),
        false,
      );
      this.endTurn(turn);
    }
    this.connection.detach();
    detachHandler(this.synthesizer, 'synthesizing');
    detachHandler(this.synthesizer, 'synthesisStarted');
    const orphan = this.internals.orphanedConnection();
    await closeSdkClient(this.synthesizer);
    if (orphan) await orphan.then((connection) => connection.dispose()).catch(() => undefined);
  }
}
