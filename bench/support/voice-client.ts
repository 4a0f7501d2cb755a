/**
 * A minimal client of the voice API (docs/protocol.md) over socket.io-client, timing what a caller sees: first audio
 * byte from the moment of the emit. Used by the load generator and the benchmarks.
 */
import { io, type Socket } from 'socket.io-client';

export interface VoiceErrorBody {
  code: string;
  message: string;
  retryable?: boolean;
}

export interface VoiceClientOptions {
  /** `http://host:port` (the `/voice` namespace is added). */
  url: string;
  token?: string;
  sessionId?: string;
  /** Bounds each wait (connect, acks). */
  timeoutMs?: number;
}

export interface TtsRequest {
  text?: string;
  ssml?: string;
  voice?: string;
  format?: 'pcm-16k' | 'pcm-24k' | 'pcm-48k';
}

export interface TtsResult {
  ok: boolean;
  requestId: string;
  /** Allocation tier from the ack (`dedicated` / `warm` / `cold`). */
  tier: string | null;
  /** Client-side: emit to first `tts.audio`. */
  firstByteMs: number | null;
  /** Client-side: emit to ack. */
  totalMs: number;
  /** The server's own first-byte time from the ack (from the start of serving the request). */
  serverFirstByteMs: number | null;
  bytes: number;
  /** Set when `collectAudio` was asked for. */
  audio?: Buffer;
  error?: VoiceErrorBody;
}

export interface SttResult {
  ok: boolean;
  requestId: string;
  tier: string | null;
  /** stt.stop emit to its ack (the final results are in by then). */
  stopMs: number;
  /** stt.start emit to its ack. */
  startMs: number;
  finals: string[];
  error?: VoiceErrorBody;
}

interface AudioEvent {
  requestId: string;
  seq: number;
  audio: Buffer | ArrayBuffer | Uint8Array;
}

interface PendingTts {
  startedAt: number;
  firstByteMs: number | null;
  bytes: number;
  chunks: Buffer[] | null;
  /** Called with performance.now() at the first chunk. */
  onFirstAudio?: (at: number) => void;
}

export interface BargeInResult {
  ok: boolean;
  /** tts.cancel emitted to the first chunk of the request that followed it. */
  bargeInMs: number | null;
  /** Tier of the request after the cancel. */
  tier: string | null;
  /** The interrupted request's ack said canceled. */
  canceled: boolean;
  error?: VoiceErrorBody;
}

type Ack = { ok: true; [key: string]: unknown } | { ok: false; error: VoiceErrorBody };

let nextRequest = 0;
const requestIdPrefix = Math.random().toString(36).slice(2, 8);
const newRequestId = (): string => `bench-${requestIdPrefix}-${++nextRequest}`;

const toBuffer = (audio: AudioEvent['audio']): Buffer =>
  Buffer.isBuffer(audio) ? audio : Buffer.from(audio as ArrayBuffer);

export class VoiceConnectError extends Error {
  constructor(readonly code: string) {
    super(`connect failed: ${code}`);
  }
}

export class VoiceClient {
  private readonly pendingTts = new Map<string, PendingTts>();
  private readonly finals = new Map<string, string[]>();
  private readonly timeoutMs: number;

  private constructor(
    readonly socket: Socket,
    readonly sessionId: string,
    timeoutMs: number,
  ) {
    this.timeoutMs = timeoutMs;
    socket.on('tts.audio', (event: AudioEvent) => {
      const pending = this.pendingTts.get(event.requestId);
      if (pending === undefined) return;
      if (pending.firstByteMs === null) {
        const at = performance.now();
        pending.firstByteMs = at - pending.startedAt;
        pending.onFirstAudio?.(at);
      }
      const audio = toBuffer(event.audio);
      pending.bytes += audio.length;
      pending.chunks?.push(audio);
    });
    socket.on('stt.final', (event: { requestId: string; text: string }) => {
      this.finals.get(event.requestId)?.push(event.text);
    });
  }

  /** Connects and waits for `session.ready`; rejects with VoiceConnectError (the server's code) or a timeout. */
  static connect(options: VoiceClientOptions): Promise<VoiceClient> {
    const timeoutMs = options.timeoutMs ?? 20_000;
    const auth: Record<string, string> = {};
    if (options.token !== undefined) auth.token = options.token;
    if (options.sessionId !== undefined) auth.sessionId = options.sessionId;
    const socket = io(`${options.url.replace(/\/$/, '')}/voice`, {
      auth,
      transports: ['websocket'], // servers and load generators skip long-polling
      reconnection: false,
      forceNew: true,
      timeout: timeoutMs,
    });
    return new Promise<VoiceClient>((resolve, reject) => {
      const timer = setTimeout(() => fail(new VoiceConnectError('TIMEOUT')), timeoutMs);
      const fail = (error: Error): void => {
        clearTimeout(timer);
        socket.off('session.ready', onReady);
        socket.disconnect();
        reject(error);
      };
      const onReady = (info: { sessionId: string }): void => {
        clearTimeout(timer);
        socket.off('connect_error', onError);
        resolve(new VoiceClient(socket, info.sessionId, timeoutMs));
      };
      const onError = (error: Error): void => fail(new VoiceConnectError(error.message || 'CONNECT_ERROR'));
      socket.once('session.ready', onReady);
      socket.once('connect_error', onError);
    });
  }

  private async emitWithAck(event: string, payload: unknown): Promise<Ack> {
    try {
      return (await this.socket.timeout(this.timeoutMs).emitWithAck(event, payload)) as Ack;
    } catch {
      return {
        ok: false,
        error: { code: 'CLIENT_TIMEOUT', message: `no ack for ${event} within ${this.timeoutMs} ms` },
      };
    }
  }

  async synthesize(request: TtsRequest, collectAudio = false): Promise<TtsResult> {
    const requestId = newRequestId();
    const pending: PendingTts = {
      startedAt: performance.now(),
      firstByteMs: null,
      bytes: 0,
      chunks: collectAudio ? [] : null,
    };
    this.pendingTts.set(requestId, pending);
    const ack = await this.emitWithAck('tts.synthesize', { ...request, requestId });
    const totalMs = performance.now() - pending.startedAt;
    this.pendingTts.delete(requestId);
    const result: TtsResult = {
      ok: ack.ok,
      requestId,
      tier: ack.ok && typeof ack.tier === 'string' ? ack.tier : null,
      firstByteMs: pending.firstByteMs,
      totalMs,
      serverFirstByteMs: ack.ok && typeof ack.firstByteMs === 'number' ? ack.firstByteMs : null,
      bytes: pending.bytes,
    };
    if (!ack.ok) result.error = ack.error;
    if (pending.chunks !== null) result.audio = Buffer.concat(pending.chunks);
    return result;
  }

  /**
   * Barge-in as a voice agent does it: `interrupted` starts; at its first audio chunk the caller speaks, so the
   * agent sends tts.cancel and, right behind it, tts.synthesize for `next`. Times tts.cancel to `next`'s first
   * chunk.
   */
  async bargeIn(interrupted: TtsRequest, next: TtsRequest): Promise<BargeInResult> {
    const firstId = newRequestId();
    const nextId = newRequestId();
    const first: PendingTts = { startedAt: performance.now(), firstByteMs: null, bytes: 0, chunks: null };
    const heard = new Promise<number>((resolve) => (first.onFirstAudio = resolve));
    this.pendingTts.set(firstId, first);
    const firstAck = this.emitWithAck('tts.synthesize', { ...interrupted, requestId: firstId });
    const failedEarly = firstAck.then((ack) => (ack.ok ? null : ack));
    const early = await Promise.race([heard.then(() => null), failedEarly]);
    if (early !== null) {
      this.pendingTts.delete(firstId);
      return { ok: false, bargeInMs: null, tier: null, canceled: false, error: early.error };
    }
    const pending: PendingTts = { startedAt: performance.now(), firstByteMs: null, bytes: 0, chunks: null };
    const nextHeard = new Promise<number>((resolve) => (pending.onFirstAudio = resolve));
    this.pendingTts.set(nextId, pending);
    const canceledAt = performance.now();
    const cancelAck = this.emitWithAck('tts.cancel', { requestId: firstId });
    const nextAck = this.emitWithAck('tts.synthesize', { ...next, requestId: nextId });
    const [interruptedAck, , done] = await Promise.all([firstAck, cancelAck, nextAck]);
    const heardAt = pending.firstByteMs === null ? null : await nextHeard;
    this.pendingTts.delete(firstId);
    this.pendingTts.delete(nextId);
    return {
      ok: done.ok,
      bargeInMs: heardAt === null ? null : heardAt - canceledAt,
      tier: done.ok && typeof done.tier === 'string' ? done.tier : null,
      canceled: interruptedAck.ok && interruptedAck.canceled === true,
      error: done.ok ? undefined : done.error,
    };
  }

  /**
   * One recognition: stt.start, the audio in `frameBytes` frames (as fast as the server's frame rate limit
   * allows when `framesPerSecond` is given, else at once), stt.stop; the finals received by then.
   */
  async recognize(
    audio: Buffer,
    options: { sampleRate?: number; frameBytes?: number; framesPerSecond?: number } = {},
  ): Promise<SttResult> {
    const requestId = newRequestId();
    this.finals.set(requestId, []);
    const t0 = performance.now();
    const start = await this.emitWithAck('stt.start', {
      requestId,
      sampleRate: options.sampleRate ?? 16_000,
    });
    const startMs = performance.now() - t0;
    if (!start.ok) {
      this.finals.delete(requestId);
      return { ok: false, requestId, tier: null, startMs, stopMs: 0, finals: [], error: start.error };
    }
    const frameBytes = options.frameBytes ?? 3_200; // 100 ms at 16 kHz
    const gapMs = options.framesPerSecond === undefined ? 0 : 1000 / options.framesPerSecond;
    for (let offset = 0; offset < audio.length; offset += frameBytes) {
      this.socket.emit('stt.audio', audio.subarray(offset, Math.min(audio.length, offset + frameBytes)));
      if (gapMs > 0) await new Promise((resolve) => setTimeout(resolve, gapMs));
    }
    const t1 = performance.now();
    const stop = await this.emitWithAck('stt.stop', { requestId });
    const stopMs = performance.now() - t1;
    const finals = this.finals.get(requestId) ?? [];
    this.finals.delete(requestId);
    return {
      ok: stop.ok,
      requestId,
      tier: typeof start.tier === 'string' ? start.tier : null,
      startMs,
      stopMs,
      finals,
      error: stop.ok ? undefined : stop.error,
    };
  }

  /** Disconnects; resolves once the socket reports it. */
  close(): Promise<void> {
    if (!this.socket.connected) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, 2_000);
      this.socket.once('disconnect', () => {
        clearTimeout(timer);
        resolve();
      });
      this.socket.disconnect();
    });
  }
}
