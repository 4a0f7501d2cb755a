import {
  Connection,
  PropertyId,
  SpeechSynthesisRequest,
  SpeechSynthesisRequestInputType,
  SpeechSynthesizer,
} from 'microsoft-cognitiveservices-speech-sdk';
import { DEFAULT_WIRE_FORMAT, sdkOutputFormat, wireFormatInfo, type WireFormat } from './audio-format';
import { closeSdkClient } from './close-sdk-client';
import { ConnectionWatch, detachHandler } from './connection-watch';
import { sdkObjectCensus, type SdkObjectCensus } from './sdk-object-census';
import { SpeechClientBase } from './speech-client-base';
import { runSdkTurn, type TurnHost, type TurnPlan } from './sdk-turn';
import { SpeechError } from './speech-error';
import { createSpeechConfig, type SpeechTarget } from './speech-target';
import { textToSsml, voiceLocale } from './ssml';
import { SynthesizerInternals } from './synthesizer-internals';
import { TextStreamInput } from './text-stream-input';
import { TokenBinding } from './token-binding';
import { TurnTracker } from './turn-tracker';
import type { SynthesisOutcome, SynthesisRequest, TextStream, TextStreamRequest } from './tts-requests';
import { WordLocator } from './word-timing';

export type {
  SynthesisOutcome,
  SynthesisRequest,
  TextStream,
  TextStreamRequest,
  TurnOptions,
} from './tts-requests';
export type { WordTiming } from './word-timing';

export interface TtsClientOptions {
  target: SpeechTarget;
  /** The synthesizer's configured voice: the warm-up utterance speaks with it, and text streams by default. */
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
  /** Turns after which the client is worn out (see {@link MAX_TURNS_PER_SYNTHESIZER}). */
  maxTurns?: number;
}

const WARMUP_TIMEOUT_MS = 5_000;

/**
 * Turns (syntheses, text streams and warm-ups) a synthesizer serves before the pool replaces it. The SDK starts a
 * new receive loop on the connection with every turn and none of them ends while the connection is open, so a
 * synthesizer's memory grows with every turn it speaks (measured: ~3.6 KiB per short turn, linear over 3,000
 * turns); a pooled synthesizer may stay connected for days. Retiring it after 1,000 turns bounds that to a few MiB
 * per client, for one reconnect in the background per 1,000 turns.
 */
export const MAX_TURNS_PER_SYNTHESIZER = 1_000;

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
  private readonly turns: TurnTracker;
  private turnsStarted = 0;
  private readonly token: TokenBinding;
  private readonly synthesisTimeoutMs: number;
  private readonly connectTimeoutMs: number;
  private format: WireFormat = DEFAULT_WIRE_FORMAT;
  /** synthesize() and text-stream calls under way, including ones still waiting for the previous turn to end. */
  private calls = 0;
  /** Resolves when the latest call has started its turn (or given up): the next call may go. */
  private admission: Promise<void> = Promise.resolve();

  constructor(private readonly options: TtsClientOptions) {
    super('TTS', options.target);
    this.synthesisTimeoutMs = options.synthesisTimeoutMs ?? 10_000;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
    const config = createSpeechConfig(options.target);
    config.speechSynthesisOutputFormat = sdkOutputFormat(this.format);
    config.speechSynthesisVoiceName = options.defaultVoice;
    // null audio config: a server has no speaker to play to.
    this.synthesizer = new SpeechSynthesizer(config, null);
    this.internals = new SynthesizerInternals(this.synthesizer);
    this.internals.discardResultAudio();
    this.token = new TokenBinding(options.target, (value) => (this.synthesizer.authorizationToken = value));
    this.turns = new TurnTracker({
      requestStop: () => this.internals.requestStop(),
      stopTimeoutMs: options.stopTimeoutMs ?? 1_500,
      onStuck: () => this.markBroken(),
      onIdle: () => detachHandler(this.synthesizer, 'synthesisStarted'),
    });
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

  /** Usable, and (on Entra ID) holding a token the upstream still accepts for a reconnect. */
  override isReady(): boolean {
    return super.isReady() && this.token.isValid();
  }

  /** It has served its share of turns: the pool replaces it rather than hand it out again. */
  get wornOut(): boolean {
    return this.turnsStarted >= (this.options.maxTurns ?? MAX_TURNS_PER_SYNTHESIZER);
  }

  /** A synthesis is under way, or a turn is still stopping after a cancel. */
  get busy(): boolean {
    return this.calls > 0 || this.turns.current !== null;
  }

  /**
   * Stops a turn its holder let go of and resolves once the turn has ended. When it does not end within
   * `stopTimeoutMs`, the client is marked broken instead, so the pool destroys it (and the socket with it).
   * Never rejects. A turn still streaming for a caller is stopped too: that caller's call resolves as canceled.
   */
  async clearSessionState(): Promise<void> {
    const turn = this.turns.current;
    if (turn === null || this.isDisposed) return;
    this.turns.stop(turn);
    await this.turns.awaitStopped(turn);
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
      return await this.runWhenFree({
        options: request,
        started: performance.now(),
        words: new WordLocator(request.text),
        speak: (done, fail) => this.synthesizer.speakSsmlAsync(request.ssml, done, fail),
      });
    } finally {
      this.calls--;
    }
  }

  /**
   * One turn of the SDK's text streaming: the upstream starts speaking each sentence as soon as it has its text.
   * Pieces may be written at once, before the turn starts (after a previous one): the SDK holds them until then.
   * The no-progress deadline runs once the text has ended; before that `idleTimeoutMs` bounds the wait for text.
   * Cancel, stop and the audio bound work as for synthesize().
   */
  streamText(request: TextStreamRequest = {}): TextStream {
    this.assertUsable();
    const sdkRequest = new SpeechSynthesisRequest(SpeechSynthesisRequestInputType.TextStream);
    const input = new TextStreamInput(sdkRequest.inputStream, request.idleTimeoutMs);
    const voice = request.voice ?? this.options.defaultVoice;
    this.calls++;
    const done = this.runWhenFree({
      options: request,
      started: performance.now(),
      words: input.words,
      input,
      speak: (finished, fail) => {
        // A text stream names no voice of its own: the SDK sends the synthesizer's voice with the request.
        this.synthesizer.properties.setProperty(PropertyId.SpeechServiceConnection_SynthVoice, voice);
        this.synthesizer.properties.setProperty(
          PropertyId.SpeechServiceConnection_SynthLanguage,
          voiceLocale(voice),
        );
        this.synthesizer.speakAsync(sdkRequest, finished, fail);
      },
    }).finally(() => {
      input.finish();
      this.calls--;
    });
    return { write: (text) => input.write(text), end: () => input.end(), done };
  }

  /**
   * Waits for the calls before this one to start their turns and for the previous turn to end, then runs this one
   * (unless the caller gave up meanwhile). Calls are admitted in order: two calls made at once must not both see
   * no turn and attach their handlers to the same synthesizer.
   */
  private async runWhenFree(plan: TurnPlan): Promise<SynthesisOutcome> {
    const { signal, format = DEFAULT_WIRE_FORMAT } = plan.options;
    const canceledEarly = (): SynthesisOutcome => ({
      firstByteMs: null,
      totalMs: performance.now() - plan.started,
      bytes: 0,
      audioMs: 0,
      canceled: true,
    });
    const before = this.admission;
    let admitNext!: () => void;
    this.admission = new Promise<void>((resolve) => (admitNext = resolve));
    let outcome: Promise<SynthesisOutcome>;
    try {
      await before;
      if (signal?.aborted) return canceledEarly();
      await this.turns.settlePrevious();
      this.assertUsable();
      if (signal?.aborted) return canceledEarly();
      if (plan.input?.idleExpired) throw plan.input.idleError();
      if (format !== this.format) {
        this.internals.setOutputFormat(sdkOutputFormat(format));
        this.format = format;
      }
      // The turn begins here, synchronously: the next call, admitted now, finds it and waits for its end.
      this.turnsStarted++;
      outcome = runSdkTurn(this.turnHost(), plan);
    } finally {
      admitNext();
    }
    return outcome;
  }

  private turnHost(): TurnHost {
    return {
      synthesizer: this.synthesizer,
      turns: this.turns,
      timeoutMs: this.synthesisTimeoutMs,
      maxAudioBytes: this.options.maxAudioBytes ?? Number.POSITIVE_INFINITY,
      bytesPerSecond: wireFormatInfo(this.format).bytesPerSecond,
      markBroken: () => this.markBroken(),
      mapError: (what, code, details) => this.mapError(what, code, details),
    };
  }

  /** Detaches every handler and closes the synthesizer; resolves when its socket is gone. */
  protected async close(): Promise<void> {
    const turn = this.turns.current;
    if (turn !== null) {
      turn.settle(
        new SpeechError('INTERNAL', `TTS client ${this.id} was disposed during the synthesis`),
        false,
      );
      this.turns.end(turn);
    }
    this.token.dispose();
    this.connection.detach();
    detachHandler(this.synthesizer, 'synthesizing');
    detachHandler(this.synthesizer, 'synthesisStarted');
    detachHandler(this.synthesizer, 'wordBoundary');
    const orphan = this.internals.orphanedConnection();
    await closeSdkClient(this.synthesizer);
    if (orphan) await orphan.then((connection) => connection.dispose()).catch(() => undefined);
  }
}
