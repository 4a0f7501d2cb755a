import { randomUUID } from 'node:crypto';
import type { AllocationTier } from '../pools/allocation-tier';
import type { ResourcePool, SessionAllocation } from '../pools/resource-pool';
import { DEFAULT_TTS_FORMAT } from '../speech/audio-format';
import { SpeechError } from '../speech/speech-error';
import { textToSsml } from '../speech/ssml';
import type { TtsClient } from '../speech/tts-client';
import { CANCELED_BY_CLIENT } from './abort-reasons';
import type { TtsJob } from './tts-request-queue';
import { failedAck, rateLimited, type FailedAck } from './voice-errors';
import type { TtsSynthesizePayload } from './voice-payloads';

/** A completed synthesis (CONTRACT §5); times in ms from the start of serving the request. */
export interface SynthesisDoneAck {
  ok: true;
  requestId: string;
  tier: AllocationTier;
  /** null only if the upstream produced no audio at all. */
  firstByteMs: number | null;
  totalMs: number;
  bytes: number;
}

/**
 * A synthesis ended by tts.cancel: `ok` (the client asked for it), with what was done until then. `tier` is null
 * when it was canceled before a client was allocated; `bytes` is the audio already sent as tts.audio.
 */
export interface SynthesisCanceledAck {
  ok: true;
  requestId: string;
  canceled: true;
  tier: AllocationTier | null;
  firstByteMs: number | null;
  totalMs: number;
  bytes: number;
}

export type SynthesisAck = SynthesisDoneAck | SynthesisCanceledAck | FailedAck;

/** What a synthesis job needs from its surroundings (the session, its socket, the pool, metrics). */
export interface TtsJobContext {
  pool: ResourcePool<TtsClient>;
  sessionId: string;
  /** The pool caches clients per session; otherwise each request releases its client when done. */
  sessionBound: boolean;
  maxSendBufferBytes: number;
  sendBufferBytes(): number;
  emitAudio(requestId: string, seq: number, audio: Buffer): void;
  /** Answers the request (a no-op when its socket is gone). */
  reply(ack: SynthesisAck): void;
  recordOutcome(outcome: string): void;
  recordFirstByte(tier: AllocationTier, ms: number): void;
  logInternal(error: unknown): void;
  /** Pool releases in flight, awaited at shutdown. */
  trackRelease(release: Promise<unknown>): void;
  /** The session is using its synthesizer (it must not be reclaimed) / no longer, and whether it still holds one. */
  synthesisStarted(): void;
  synthesisEnded(holdsSynthesizer: boolean): void;
  /** Releases another session's idle synthesizer to the pool's waiters; false when there is none. */
  reclaimIdleSynthesizer(): boolean;
}

/** A wait this long for a synthesizer means the pool is at its cap (WARM and DEDICATED hand-overs are immediate). */
const RECLAIM_AFTER_MS = 25;

const round = (ms: number): number => Math.round(ms * 10) / 10;

/**
 * One tts.synthesize request: allocate the session's client (acquireForSession), stream its chunks as tts.audio
 * the moment they arrive, and answer after the last one. Never rejects; every end is an ack (or, when the socket
 * is gone, nothing). A client that failed goes back to the pool, which destroys it (it is no longer ready).
 */
export class TtsSynthesisJob implements TtsJob {
  readonly requestId: string;

  constructor(
    private readonly ctx: TtsJobContext,
    private readonly payload: TtsSynthesizePayload,
  ) {
    this.requestId = payload.requestId ?? randomUUID();
  }

  droppedWhileQueued(reason: unknown): void {
    this.endAborted(reason, { tier: null, firstByteMs: null, totalMs: 0, bytes: 0 });
  }

  async run(signal: AbortSignal): Promise<void> {
    const { ctx, payload, requestId } = this;
    const started = performance.now();
    let tier: AllocationTier | null = null;
    let client: TtsClient | null = null;
    let firstByteMs: number | null = null;
    let bytes = 0;
    let seq = 0;
    // Aborted by the request's signal (cancel, disconnect, shutdown) or by back-pressure; stops the chunk stream.
    const stream = new AbortController();
    const forward = (): void => stream.abort(signal.reason);
    signal.addEventListener('abort', forward, { once: true });
    const progress = () => ({ tier, firstByteMs, totalMs: performance.now() - started, bytes });
    let holds = false;
    ctx.synthesisStarted();
    try {
      if (signal.aborted) return this.endAborted(signal.reason, progress());
      const allocation = await this.allocate(signal);
      holds = ctx.sessionBound;
      client = allocation.resource;
      tier = allocation.tier;
      if (stream.signal.aborted) return this.endAborted(stream.signal.reason, progress());
      const ssml = payload.ssml ?? textToSsml(payload.text ?? '', payload.voice ?? client.defaultVoice);
      await client.synthesize({
        ssml,
        format: payload.format ?? DEFAULT_TTS_FORMAT,
        signal: stream.signal,
        onChunk: (chunk) => {
          if (stream.signal.aborted) return;
          const buffered = ctx.sendBufferBytes();
          if (buffered > ctx.maxSendBufferBytes) {
            stream.abort(
              rateLimited(
                `the client is not reading audio fast enough (${buffered} bytes waiting to be sent, limit ` +
                  `${ctx.maxSendBufferBytes}); synthesis ${requestId} was aborted`,
              ),
            );
            return;
          }
          firstByteMs ??= performance.now() - started;
          ctx.emitAudio(requestId, seq++, chunk);
          bytes += chunk.length;
        },
      });
      if (stream.signal.aborted) return this.endAborted(stream.signal.reason, progress());
      if (firstByteMs !== null) ctx.recordFirstByte(allocation.tier, firstByteMs);
      ctx.recordOutcome('ok');
      ctx.reply({
        ok: true,
        requestId,
        tier: allocation.tier,
        firstByteMs: firstByteMs === null ? null : round(firstByteMs),
        totalMs: round(performance.now() - started),
        bytes,
      });
    } catch (error) {
      if (stream.signal.aborted) return this.endAborted(stream.signal.reason, progress());
      if (client !== null && ctx.sessionBound && !client.isReady()) {
        // Broken (failed or timed-out turn): ending the session's hold makes the pool validate and destroy it.
        holds = false;
        ctx.trackRelease(ctx.pool.releaseForSession(ctx.sessionId, client));
      }
      this.fail(error);
    } finally {
      signal.removeEventListener('abort', forward);
      if (client !== null && !ctx.sessionBound) ctx.trackRelease(ctx.pool.release(client));
      ctx.synthesisEnded(holds);
    }
  }

  /**
   * The session's synthesizer (DEDICATED), else a pool one. A session holds its synthesizer between requests, so
   * at the cap every client can be held by sessions that are not speaking: while this request waits there, it
   * reclaims the least recently used idle one rather than running into POOL_EXHAUSTED.
   */
  private async allocate(signal: AbortSignal): Promise<SessionAllocation<TtsClient>> {
    const { ctx } = this;
    const pending = ctx.pool.acquireForSession(ctx.sessionId, { signal });
    if (!ctx.sessionBound) return pending;
    const timer = setTimeout(() => {
      const pool = ctx.pool.snapshot();
      const atCap = pool.maxSize !== null && pool.size >= pool.maxSize && pool.warmPoolSize === 0;
      if (atCap) ctx.reclaimIdleSynthesizer();
      // Keep trying while waiting: a request ahead in the queue may have taken the one just released.
      timer.refresh();
    }, RECLAIM_AFTER_MS);
    try {
      return await pending;
    } finally {
      clearTimeout(timer);
    }
  }

  private fail(error: unknown): void {
    const ack = failedAck(error, (e) => this.ctx.logInternal(e));
    this.ctx.recordOutcome(ack.error.code);
    this.ctx.reply(ack);
  }

  private endAborted(
    reason: unknown,
    progress: { tier: AllocationTier | null; firstByteMs: number | null; totalMs: number; bytes: number },
  ): void {
    // A shutdown or back-pressure abort carries the error to answer with.
    if (reason instanceof SpeechError) return this.fail(reason);
    this.ctx.recordOutcome('canceled');
    // Any other reason (disconnect, session end) means the socket is gone: nobody is left to answer.
    if (reason !== CANCELED_BY_CLIENT) return;
    this.ctx.reply({
      ok: true,
      requestId: this.requestId,
      canceled: true,
      tier: progress.tier,
      firstByteMs: progress.firstByteMs === null ? null : round(progress.firstByteMs),
      totalMs: round(progress.totalMs),
      bytes: progress.bytes,
    });
  }
}
