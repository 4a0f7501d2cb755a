import {
  CancellationReason,
  Connection,
  type PushAudioInputStream,
  ResultReason,
  SpeechRecognitionCanceledEventArgs,
  SpeechRecognitionEventArgs,
  SpeechRecognizer,
} from 'microsoft-cognitiveservices-speech-sdk';
import { closeSdkClient } from './close-sdk-client';
import { ConnectionWatch, detachHandler } from './connection-watch';
import {
  asSetup,
  type RecognizerSetup,
  sameSetup,
  type TurnOptions,
  validateRecognitionOptions,
  validSetup,
} from './recognition-options';
import {
  finalResult,
  type FinalResult,
  noMatchResult,
  type NoMatchResult,
  partialResult,
  type PartialResult,
  type ResultShape,
} from './recognition-result';
import { sdkObjectCensus, type SdkObjectCensus } from './sdk-object-census';
import { SpeechClientBase, settlesWithin } from './speech-client-base';
import { SpeechError } from './speech-error';
import { applyTurnOptions, createRecognizer } from './recognizer-factory';
import { initialToken, type SpeechTarget } from './speech-target';
import { TokenBinding } from './token-binding';

export interface SttClientOptions {
  target: SpeechTarget;
  language: string;
  /** Input sample rate of 16-bit mono PCM; fixed for the recognizer's life (its push stream cannot change). */
  sampleRate: number;
  /** Language candidates (2-4) for continuous language identification; fixed for the recognizer's life. */
  languages?: readonly string[];
  connectTimeoutMs?: number;
  /** Longest stop() waits for the last final result (the SDK can stall after a mid-stream drop). */
  stopTimeoutMs?: number;
  /** Where the SDK objects are counted; the process's census by default. */
  census?: SdkObjectCensus;
}

export interface RecognitionHandlers {
  onPartial?(result: PartialResult): void;
  /** A phrase; with language candidates it carries `language`, with `words: true` its word timings. */
  onFinal?(result: FinalResult): void;
  /** A stretch of audio in which nothing was recognised (silence at the start, or sound that is not speech). */
  onNoMatch?(result: NoMatchResult): void;
  /** An upstream failure during recognition; the client is broken afterwards. */
  onError?(error: SpeechError): void;
}

type Phase = 'idle' | 'running' | 'stopping' | 'done';

/**
 * A pre-connected SpeechRecognizer with its own push stream. Single use: the SDK cannot swap a recognizer's audio
 * input and a closed push stream cannot reopen, so after one start…stop the pool destroys it and warms another.
 */
export class SttClient extends SpeechClientBase {
  private _setup: RecognizerSetup;
  private stream!: PushAudioInputStream;
  private recognizer!: SpeechRecognizer;
  private connection!: ConnectionWatch;
  private readonly token: TokenBinding;
  private readonly connectTimeoutMs: number;
  private readonly stopTimeoutMs: number;
  private phase: Phase = 'idle';
  private finals = 0;
  private handlers: RecognitionHandlers = {};
  private shape: ResultShape = { languageId: false, words: false };
  /** Resolves when the SDK reports the end of the session (all finals delivered) or an error. */
  private sessionEnded!: Promise<void>;
  private endSession!: () => void;

  constructor(private readonly options: SttClientOptions) {
    super('STT', options.target);
    this._setup = validSetup({
      language: options.language,
      sampleRate: options.sampleRate,
      languages: options.languages,
    });
    this.connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
    this.stopTimeoutMs = options.stopTimeoutMs ?? 15_000;
    this.sessionEnded = new Promise<void>((resolve) => (this.endSession = resolve));
    this.build();
    this.token = new TokenBinding(options.target, (value) => (this.recognizer.authorizationToken = value));
  }

  get language(): string {
    return this._setup.language;
  }

  get sampleRate(): number {
    return this._setup.sampleRate;
  }

  /** What this recognizer was made for: language, input rate and language candidates. */
  get setup(): RecognizerSetup {
    return this._setup;
  }

  /**
   * Rebuilds the unused recognizer for another setup (language, input rate, language candidates: all fixed when a
   * recognizer is made: the language is in its URL, the rate in its stream's header, the candidates in its
   * language identification), keeping this client's place in the pool. Costs a new connection: the caller reports
   * the allocation as COLD.
   */
  async retarget(setup: RecognizerSetup): Promise<void>;
  async retarget(language: string, sampleRate: number): Promise<void>;
  async retarget(setupOrLanguage: RecognizerSetup | string, sampleRate?: number): Promise<void> {
    const setup = validSetup(asSetup(setupOrLanguage, sampleRate));
    this.assertUsable();
    if (this.phase !== 'idle') throw new SpeechError('BAD_REQUEST', `STT client ${this.id} was already used`);
    if (this.fits(setup)) return;
    initialToken(this.options.target); // no token to build with: fail before the old recognizer is gone
    await this.closeRecognizer();
    this._setup = setup;
    this.build();
    await this.connection.open(this.connectTimeoutMs);
  }

  private build(): void {
    ({ recognizer: this.recognizer, stream: this.stream } = createRecognizer(
      this.options.target,
      this._setup,
    ));
    const connection = Connection.fromRecognizer(this.recognizer);
    this.connection = new ConnectionWatch(connection, (what, details) =>
      this.mapError(what, undefined, details),
    );
    const census = this.options.census ?? sdkObjectCensus;
    census.track('recognizers', this.recognizer);
    census.track('connections', connection);
    this.attachHandlers();
  }

  /** start() was called: the recognizer has its stream and can never serve another one. */
  get started(): boolean {
    return this.phase !== 'idle';
  }

  /**
   * Usable for a new audio stream: not broken, not disposed and never started (single use). A socket that
   * dropped before use does not count against it: start() reconnects (on Entra ID, with a token that must still
   * be valid).
   */
  override isReady(): boolean {
    return super.isReady() && !this.started && this.token.isValid();
  }

  /**
   * True when this client was built for the given setup (language, input rate and language candidates, the
   * candidates in any order). Every other option is applied per turn by start(), so it never stops a warm client
   * from fitting. `fits(language, sampleRate)` asks about a setup without language candidates.
   */
  fits(setup: RecognizerSetup): boolean;
  fits(language: string, sampleRate: number): boolean;
  fits(setupOrLanguage: RecognizerSetup | string, sampleRate?: number): boolean {
    return sameSetup(this._setup, asSetup(setupOrLanguage, sampleRate));
  }

  /** Pre-connects the recognizer's socket (a no-op when it is up: a recognizer has no harmless keep-alive). */
  async warm(): Promise<boolean> {
    this.assertUsable();
    await this.connection.open(this.connectTimeoutMs);
    return true;
  }

  clearSessionState(): void {
    this.handlers = {};
  }

  /**
   * Starts recognition with this turn's options. They are set on the recognizer just before it starts: the SDK
   * sends them in the turn's `speech.context`, so a pre-connected recognizer takes them without reconnecting.
   * Invalid options are refused (BAD_REQUEST) and leave the client unused.
   */
  async start(handlers: RecognitionHandlers, options: TurnOptions = {}): Promise<void> {
    this.assertUsable();
    if (this.phase !== 'idle') throw new SpeechError('BAD_REQUEST', `STT client ${this.id} was already used`);
    validateRecognitionOptions(options);
    if ('languages' in options) {
      throw new SpeechError(
        'BAD_REQUEST',
        'language candidates are fixed when a recognizer is made: retarget() it',
      );
    }
    applyTurnOptions(this.recognizer, options);
    this.shape = { languageId: this._setup.languages !== undefined, words: options.words === true };
    this.phase = 'running';
    this.handlers = handlers;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.markBroken();
        reject(new SpeechError('TIMEOUT', `recognition did not start within ${this.connectTimeoutMs} ms`));
      }, this.connectTimeoutMs);
      this.recognizer.startContinuousRecognitionAsync(
        () => {
          clearTimeout(timer);
          resolve();
        },
        (error: string) => {
          clearTimeout(timer);
          this.markBroken();
          reject(this.mapError('recognition', undefined, error));
        },
      );
    });
  }

  /** Feeds 16-bit little-endian mono PCM at the declared rate. */
  write(pcm: Uint8Array): void {
    if (this.phase !== 'running') throw new SpeechError('BAD_REQUEST', 'recognition is not running');
    // Copy: the SDK keeps the buffer for retries, and ours may be a view into a pooled socket buffer.
    this.stream.write(pcm.buffer.slice(pcm.byteOffset, pcm.byteOffset + pcm.byteLength) as ArrayBuffer);
  }

  /** Ends the audio and resolves once the last final result was delivered, with the number of finals. */
  async stop(): Promise<{ finals: number }> {
    if (this.phase === 'idle' || this.phase === 'done') return { finals: this.finals };
    if (this.phase === 'running') {
      this.phase = 'stopping';
      this.stream.close();
    }
    try {
      if (!(await settlesWithin(this.sessionEnded, this.stopTimeoutMs))) {
        this.markBroken();
        throw new SpeechError('TIMEOUT', `recognition did not finish within ${this.stopTimeoutMs} ms`);
      }
      await this.stopRecognition();
      return { finals: this.finals };
    } finally {
      this.phase = 'done';
    }
  }

  /** Closes the stream, stops recognition, detaches every handler and closes the recognizer (once: dispose()). */
  protected async close(): Promise<void> {
    this.token.dispose();
    this.handlers = {};
    if (this.phase === 'running') this.stream.close();
    if (this.phase === 'running' || this.phase === 'stopping') {
      await this.stopRecognition().catch(() => undefined);
    }
    this.phase = 'done';
    this.endSession();
    await this.closeRecognizer();
  }

  /** Detaches our handlers, closes an unused stream and the recognizer; resolves when its socket is gone. */
  private closeRecognizer(): Promise<void> {
    this.detachHandlers();
    this.connection.detach();
    if (this.phase === 'idle') this.stream.close();
    return closeSdkClient(this.recognizer);
  }

  private stopRecognition(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.markBroken();
        reject(new SpeechError('TIMEOUT', 'recognizer did not stop'));
      }, this.stopTimeoutMs);
      this.recognizer.stopContinuousRecognitionAsync(
        () => {
          clearTimeout(timer);
          resolve();
        },
        (error: string) => {
          clearTimeout(timer);
          reject(this.mapError('recognition', undefined, error));
        },
      );
    });
  }

  private attachHandlers(): void {
    this.recognizer.recognizing = (_sender, event: SpeechRecognitionEventArgs) => {
      const result = event.result;
      if (!result.text) return;
      this.handlers.onPartial?.(partialResult(result, this.shape));
    };
    this.recognizer.recognized = (_sender, event: SpeechRecognitionEventArgs) => {
      const result = event.result;
      if (result.reason === ResultReason.NoMatch) {
        this.handlers.onNoMatch?.(noMatchResult(result));
        return;
      }
      if (result.reason !== ResultReason.RecognizedSpeech || !result.text) return;
      this.finals++;
      this.handlers.onFinal?.(finalResult(result, this.shape));
    };
    this.recognizer.canceled = (_sender, event: SpeechRecognitionCanceledEventArgs) => {
      if (event.reason !== CancellationReason.EndOfStream) {
        this.markBroken();
        this.handlers.onError?.(this.mapError('recognition', event.errorCode, event.errorDetails ?? ''));
      }
      this.endSession();
    };
    this.recognizer.sessionStopped = () => this.endSession();
  }

  private detachHandlers(): void {
    detachHandler(this.recognizer, 'recognizing');
    detachHandler(this.recognizer, 'recognized');
    detachHandler(this.recognizer, 'canceled');
    detachHandler(this.recognizer, 'sessionStopped');
  }
}
