import {
  AudioConfig,
  AudioInputStream,
  AudioStreamFormat,
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
import { sdkObjectCensus, type SdkObjectCensus } from './sdk-object-census';
import { SpeechClientBase, settlesWithin } from './speech-client-base';
import { SpeechError } from './speech-error';
import { createSpeechConfig, initialToken, type SpeechTarget } from './speech-target';
import { TokenBinding } from './token-binding';

export interface SttClientOptions {
  target: SpeechTarget;
  language: string;
  /** Input sample rate of 16-bit mono PCM; fixed for the recognizer's life (its push stream cannot change). */
  sampleRate: number;
  connectTimeoutMs?: number;
  /** Longest stop() waits for the last final result (the SDK can stall after a mid-stream drop). */
  stopTimeoutMs?: number;
  /** Where the SDK objects are counted; the process's census by default. */
  census?: SdkObjectCensus;
}

export interface RecognitionHandlers {
  onPartial?(result: { text: string; offsetMs: number }): void;
  onFinal?(result: { text: string; offsetMs: number; durationMs: number }): void;
  /** An upstream failure during recognition; the client is broken afterwards. */
  onError?(error: SpeechError): void;
}

const TICKS_PER_MS = 10_000;

type Phase = 'idle' | 'running' | 'stopping' | 'done';

/**
 * A pre-connected SpeechRecognizer with its own push stream. Single use: the SDK cannot swap a recognizer's audio
 * input and a closed push stream cannot reopen, so after one start…stop the pool destroys it and warms another.
 */
export class SttClient extends SpeechClientBase {
  private _language: string;
  private _sampleRate: number;
  private stream!: PushAudioInputStream;
  private recognizer!: SpeechRecognizer;
  private connection!: ConnectionWatch;
  private readonly token: TokenBinding;
  private readonly connectTimeoutMs: number;
  private readonly stopTimeoutMs: number;
  private phase: Phase = 'idle';
  private finals = 0;
  private handlers: RecognitionHandlers = {};
  /** Resolves when the SDK reports the end of the session (all finals delivered) or an error. */
  private sessionEnded!: Promise<void>;
  private endSession!: () => void;

  constructor(private readonly options: SttClientOptions) {
    super('STT', options.target);
    this._language = options.language;
    this._sampleRate = options.sampleRate;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
    this.stopTimeoutMs = options.stopTimeoutMs ?? 15_000;
    this.sessionEnded = new Promise<void>((resolve) => (this.endSession = resolve));
    this.build();
    this.token = new TokenBinding(options.target, (value) => (this.recognizer.authorizationToken = value));
  }

  get language(): string {
    return this._language;
  }

  get sampleRate(): number {
    return this._sampleRate;
  }

  /**
   * Rebuilds the unused recognizer for another language or input rate (both are fixed when a recognizer is made:
   * the language is in its URL, the rate in its stream's header), keeping this client's place in the pool.
   * Costs a new connection: the caller reports the allocation as COLD.
   */
  async retarget(language: string, sampleRate: number): Promise<void> {
    this.assertUsable();
    if (this.phase !== 'idle') throw new SpeechError('BAD_REQUEST', `STT client ${this.id} was already used`);
    if (this.fits(language, sampleRate)) return;
    initialToken(this.options.target); // no token to build with: fail before the old recognizer is gone
    await this.closeRecognizer();
    this._language = language;
    this._sampleRate = sampleRate;
    this.build();
    await this.connection.open(this.connectTimeoutMs);
  }

  private build(): void {
    const config = createSpeechConfig(this.options.target);
    config.speechRecognitionLanguage = this._language;
    const format = AudioStreamFormat.getWaveFormatPCM(this._sampleRate, 16, 1);
    this.stream = AudioInputStream.createPushStream(format);
    this.recognizer = new SpeechRecognizer(config, AudioConfig.fromStreamInput(this.stream));
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

  /** True when this client was built for the given language and input rate. */
  fits(language: string, sampleRate: number): boolean {
    return this.language === language && this.sampleRate === sampleRate;
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

  async start(handlers: RecognitionHandlers): Promise<void> {
    this.assertUsable();
    if (this.phase !== 'idle') throw new SpeechError('BAD_REQUEST', `STT client ${this.id} was already used`);
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
      this.handlers.onPartial?.({ text: result.text, offsetMs: result.offset / TICKS_PER_MS });
    };
    this.recognizer.recognized = (_sender, event: SpeechRecognitionEventArgs) => {
      const result = event.result;
      if (result.reason !== ResultReason.RecognizedSpeech || !result.text) return;
      this.finals++;
      this.handlers.onFinal?.({
        text: result.text,
        offsetMs: result.offset / TICKS_PER_MS,
        durationMs: result.duration / TICKS_PER_MS,
      });
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
