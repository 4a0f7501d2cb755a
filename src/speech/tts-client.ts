import {
  CancellationDetails,
  Connection,
  ResultReason,
  SpeechSynthesisEventArgs,
  SpeechSynthesisResult,
  SpeechSynthesizer,
} from 'microsoft-cognitiveservices-speech-sdk';
import { AudioOutputFormatImpl } from 'microsoft-cognitiveservices-speech-sdk/distrib/lib/src/sdk/Audio/AudioOutputFormat';
import { DEFAULT_TTS_FORMAT, sdkOutputFormat, type TtsFormat } from './audio-format';
import { SpeechError } from './speech-error';
import { closeSdkClient } from './close-sdk-client';
import { ConnectionWatch, detachHandler } from './connection-watch';
import { createSpeechConfig, redactSecrets, type SpeechTarget } from './speech-target';
import { textToSsml } from './ssml';
import { upstreamError } from './upstream-error';

export interface TtsClientOptions {
  target: SpeechTarget;
  defaultVoice: string;
  /**
   * Longest a synthesis may go without progress (no first byte, or no next chunk) before it fails with TIMEOUT
   * and the client is marked broken. A stall, not a length: long texts stream for as long as audio keeps coming.
   */
  synthesisTimeoutMs?: number;
  /** Longest warm() waits for the socket to come up. */
  connectTimeoutMs?: number;
}

export interface SynthesisRequest {
  ssml: string;
  format?: TtsFormat;
  /** Aborting stops the chunk stream at once; the SDK turn finishes in the background before the next one. */
  signal?: AbortSignal;
  /** Overrides the client's no-progress deadline for this request. */
  timeoutMs?: number;
  onChunk?: (chunk: Buffer) => void;
}

export interface SynthesisOutcome {
  /** ms from the call to the first audio chunk; null when no audio arrived. */
  firstByteMs: number | null;
  totalMs: number;
  bytes: number;
  canceled: boolean;
}

let nextClientId = 1;
const WARMUP_TIMEOUT_MS = 5_000;

/**
 * One SpeechSynthesizer with its kept Connection: the unit the TTS pool holds. The SDK queues concurrent
 * syntheses on one synthesizer, so parallelism comes from several clients, never from sharing one.
 */
export class TtsClient {
  readonly id = nextClientId++;
  private readonly synthesizer: SpeechSynthesizer;
  private readonly connection: ConnectionWatch;
  private readonly synthesisTimeoutMs: number;
  private readonly connectTimeoutMs: number;
  private broken = false;
  private disposed: Promise<void> | null = null;
  private format: TtsFormat = DEFAULT_TTS_FORMAT;
  /** Settles when the SDK's current turn has ended (completed, canceled or timed out). */
  private turn: Promise<void> = Promise.resolve();
  /** Per-session state cleared between sessions: the voice a session last used and its correlation id. */
  private sessionVoice: string | null = null;
  private correlationId: string | null = null;

  constructor(private readonly options: TtsClientOptions) {
    this.synthesisTimeoutMs = options.synthesisTimeoutMs ?? 10_000;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
    const config = createSpeechConfig(options.target);
    config.speechSynthesisOutputFormat = sdkOutputFormat(this.format);
    config.speechSynthesisVoiceName = options.defaultVoice;
    // null audio config: a server has no speaker to play to.
    this.synthesizer = new SpeechSynthesizer(config, null);
    this.connection = new ConnectionWatch(Connection.fromSynthesizer(this.synthesizer), (what, details) =>
      this.mapError(what, undefined, details),
    );
  }

  get isConnected(): boolean {
    return this.connection.isConnected;
  }

  /** False once broken, disposed or disconnected: the pool then replaces the client instead of handing it out. */
  isReady(): boolean {
    return this.connection.isConnected && !this.broken && this.disposed === null;
  }

  get voice(): string {
    return this.sessionVoice ?? this.options.defaultVoice;
  }

  /** Records the session's chosen voice and correlation id; cleared when the client changes hands. */
  bindSession(state: { voice?: string; correlationId?: string }): void {
    if (state.voice !== undefined) this.sessionVoice = state.voice;
    if (state.correlationId !== undefined) this.correlationId = state.correlationId;
  }

  get sessionCorrelationId(): string | null {
    return this.correlationId;
  }

  clearSessionState(): void {
    this.sessionVoice = null;
    this.correlationId = null;
  }

  /**
   * Pre-connects when the socket is down; when it is up, speaks a one-word utterance so the socket (and the
   * voice) stays hot and the upstream's idle timer restarts — we refresh before the upstream drops us rather
   * than racing its idle close (see the SDK notes).
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
   * Streams one synthesis. Resolves after the last chunk; rejects with a SpeechError. Every synthesis has a
   * deadline because the SDK can hang forever when a socket closes mid-turn; on expiry the client is broken.
   */
  async synthesize(request: SynthesisRequest): Promise<SynthesisOutcome> {
    this.assertUsable();
    // The SDK would queue for us, but waiting here keeps the deadline per turn rather than per queue position.
    await this.turn;
    this.assertUsable();
    const format = request.format ?? DEFAULT_TTS_FORMAT;
    if (format !== this.format) this.setFormat(format);

    const started = performance.now();
    let firstByteMs: number | null = null;
    let bytes = 0;
    let canceled = false;
    const signal = request.signal;
    const onChunk = request.onChunk;

    let endTurn!: () => void;
    this.turn = new Promise<void>((resolve) => (endTurn = resolve));

    return new Promise<SynthesisOutcome>((resolve, reject) => {
      let settled = false;
      const finish = (error: SpeechError | null): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.detachSynthesizing();
        if (settled) return;
        settled = true;
        if (error) reject(error);
        else resolve({ firstByteMs, totalMs: performance.now() - started, bytes, canceled });
      };
      const onAbort = (): void => {
        // Stop the stream now; the turn still completes (or times out) before this client serves again.
        canceled = true;
        if (settled) return;
        settled = true;
        resolve({ firstByteMs, totalMs: performance.now() - started, bytes, canceled });
      };
      const timeoutMs = request.timeoutMs ?? this.synthesisTimeoutMs;
      const timer = setTimeout(() => {
        this.broken = true;
        endTurn();
        finish(new SpeechError('TIMEOUT', `synthesis made no progress for ${timeoutMs} ms`));
      }, timeoutMs);
      if (signal?.aborted) onAbort();
      else signal?.addEventListener('abort', onAbort, { once: true });

      this.synthesizer.synthesizing = (_sender: unknown, event: SpeechSynthesisEventArgs) => {
        if (canceled) return;
        const chunk = Buffer.from(event.result.audioData);
        if (chunk.length === 0) return;
        timer.refresh();
        firstByteMs ??= performance.now() - started;
        bytes += chunk.length;
        onChunk?.(chunk);
      };
      try {
        this.synthesizer.speakSsmlAsync(
          request.ssml,
          (result: SpeechSynthesisResult) => {
            endTurn();
            if (result.reason === ResultReason.SynthesizingAudioCompleted) return finish(null);
            // After any cancel the SDK's connection state is suspect (see the notes): recycle this client.
            this.broken = true;
            const details = CancellationDetails.fromResult(result);
            finish(this.mapError('synthesis', details.ErrorCode, details.errorDetails ?? ''));
          },
          (error: string) => {
            endTurn();
            this.broken = true;
            finish(this.mapError('synthesis', undefined, error));
          },
        );
      } catch (error) {
        // A synchronous throw makes the SDK dispose the synthesizer itself.
        endTurn();
        this.broken = true;
        finish(this.mapError('synthesis', undefined, String(error)));
      }
    });
  }

  /** Detaches every handler and closes the synthesizer, once; resolves when its socket is gone. */
  dispose(): Promise<void> {
    this.disposed ??= this.close();
    return this.disposed;
  }

  private async close(): Promise<void> {
    this.connection.detach();
    this.detachSynthesizing();
    const orphan = this.orphanedConnection();
    await closeSdkClient(this.synthesizer);
    if (orphan) await orphan.then((connection) => connection.dispose()).catch(() => undefined);
  }

  /**
   * SDK 1.52 leak: SpeechSynthesizer.close() disposes only the connection a synthesis configured, not one opened
   * by Connection.openConnection(), so a pre-connected synthesizer that never spoke would keep its socket open.
   * Returns that connection so close() can dispose it (verified by the integration tests).
   */
  private orphanedConnection(): Promise<{ dispose(): Promise<void> }> | null {
    const adapter = this.synthesizer.internalData as {
      privConnectionPromise?: Promise<{ dispose(): Promise<void> }> | null;
      privConnectionConfigurationPromise?: unknown;
    };
    if (adapter.privConnectionConfigurationPromise !== undefined) return null;
    return adapter.privConnectionPromise ?? null;
  }

  private detachSynthesizing(): void {
    // Unset rather than a no-op: the SDK skips building event args when no handler is attached.
    detachHandler(this.synthesizer, 'synthesizing');
  }

  private setFormat(format: TtsFormat): void {
    // The SDK fixes the output format at construction; the adapter re-reads it for every turn's
    // synthesis.context, so switching here lets one warm socket serve every format.
    const adapter = this.synthesizer.internalData as { audioOutputFormat: unknown };
    adapter.audioOutputFormat = AudioOutputFormatImpl.fromSpeechSynthesisOutputFormat(
      sdkOutputFormat(format),
    );
    this.format = format;
  }

  private assertUsable(): void {
    if (this.disposed) throw new SpeechError('INTERNAL', `TTS client ${this.id} is disposed`);
    if (this.broken) throw new SpeechError('UPSTREAM_UNAVAILABLE', `TTS client ${this.id} is broken`);
  }

  private mapError(what: string, code: Parameters<typeof upstreamError>[1], details: string): SpeechError {
    return upstreamError(what, code, redactSecrets(details, this.options.target));
  }
}
