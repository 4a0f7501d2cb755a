/**
 * What the benchmarks and the load generator measure on top of the /voice client (src/client): each request timed
 * as a caller sees it, from the emit to its first audio chunk or its ack, and returned as a result (never thrown),
 * so a failure is counted rather than ending a run.
 */
import { VoiceError, type VoiceClient } from '../../src/client';
import type { TtsSynthesizePayload } from '../../src/protocol';

export interface FailureBody {
  code: string;
  message: string;
  retryable: boolean;
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
  error?: FailureBody;
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
  error?: FailureBody;
}

export interface BargeInResult {
  ok: boolean;
  /** tts.cancel emitted to the first chunk of the request that followed it. */
  bargeInMs: number | null;
  /** Tier of the request after the cancel. */
  tier: string | null;
  /** The interrupted request's ack said canceled. */
  canceled: boolean;
  error?: FailureBody;
}

/** A request that failed, as a result field (anything but a VoiceError is a bug and is thrown on). */
function failure(error: unknown): FailureBody {
  if (!(error instanceof VoiceError)) throw error;
  return { code: error.code, message: error.message, retryable: error.retryable };
}

/** One synthesis, timed from the emit to the first audio chunk and to the ack. */
export async function timedSynthesis(
  client: VoiceClient,
  request: TtsSynthesizePayload,
  collectAudio = false,
): Promise<TtsResult> {
  const chunks: Uint8Array[] | null = collectAudio ? [] : null;
  let firstByteMs: number | null = null;
  let bytes = 0;
  const startedAt = performance.now();
  const answer = client.synthesize(request, {
    onAudio: (chunk) => {
      firstByteMs ??= performance.now() - startedAt;
      bytes += chunk.audio.byteLength;
      chunks?.push(chunk.audio);
    },
  });
  const outcome = await settle(answer);
  const totalMs = performance.now() - startedAt;
  if (!outcome.ok) {
    const requestId = request.requestId ?? '';
    return {
      ok: false,
      requestId,
      tier: null,
      firstByteMs,
      totalMs,
      serverFirstByteMs: null,
      bytes,
      error: outcome.error,
    };
  }
  const ack = outcome.value;
  const result: TtsResult = {
    ok: true,
    requestId: ack.requestId,
    tier: ack.tier,
    firstByteMs,
    totalMs,
    serverFirstByteMs: ack.firstByteMs,
    bytes,
  };
  if (chunks !== null) result.audio = Buffer.concat(chunks);
  return result;
}

/**
 * Barge-in as a voice agent does it: `interrupted` starts; at its first audio chunk the caller speaks, so the
 * agent sends tts.cancel and, right behind it, tts.synthesize for `next`. Times tts.cancel to `next`'s first
 * chunk.
 */
export async function timedBargeIn(
  client: VoiceClient,
  interrupted: TtsSynthesizePayload,
  next: TtsSynthesizePayload,
): Promise<BargeInResult> {
  const interruptedId = newRequestId();
  let heard: () => void = () => undefined;
  const firstHeard = new Promise<null>((resolve) => (heard = () => resolve(null)));
  const first = settle(
    client.synthesize({ ...interrupted, requestId: interruptedId }, { onAudio: () => heard() }),
  );
  const early = await Promise.race([firstHeard, first.then((outcome) => (outcome.ok ? null : outcome))]);
  if (early !== null) return { ok: false, bargeInMs: null, tier: null, canceled: false, error: early.error };

  let nextHeardAt: number | null = null;
  const canceledAt = performance.now();
  const cancel = settle(client.cancel(interruptedId));
  const after = settle(client.synthesize(next, { onAudio: () => (nextHeardAt ??= performance.now()) }));
  const [interruptedOutcome, , nextOutcome] = await Promise.all([first, cancel, after]);
  return {
    ok: nextOutcome.ok,
    bargeInMs: nextHeardAt === null ? null : nextHeardAt - canceledAt,
    tier: nextOutcome.ok ? nextOutcome.value.tier : null,
    canceled: interruptedOutcome.ok && 'canceled' in interruptedOutcome.value,
    error: nextOutcome.ok ? undefined : nextOutcome.error,
  };
}

/**
 * One recognition: stt.start, the audio in `frameBytes` frames (as fast as the server's frame rate limit
 * allows when `framesPerSecond` is given, else at once), stt.stop; the finals received by then.
 */
export async function timedRecognition(
  client: VoiceClient,
  audio: Uint8Array,
  options: {
    sampleRate?: 16_000 | 8_000 | 24_000 | 48_000;
    frameBytes?: number;
    framesPerSecond?: number;
  } = {},
): Promise<SttResult> {
  const t0 = performance.now();
  const recognition = client.recognize({ sampleRate: options.sampleRate ?? 16_000 });
  const { requestId } = recognition;
  const started = await settle(recognition.started);
  const startMs = performance.now() - t0;
  if (!started.ok) {
    recognition.dispose();
    return { ok: false, requestId, tier: null, startMs, stopMs: 0, finals: [], error: started.error };
  }
  const frameBytes = options.frameBytes ?? 3_200; // 100 ms at 16 kHz
  const gapMs = options.framesPerSecond === undefined ? 0 : 1000 / options.framesPerSecond;
  for (let offset = 0; offset < audio.length; offset += frameBytes) {
    recognition.send(audio.subarray(offset, Math.min(audio.length, offset + frameBytes)));
    if (gapMs > 0) await new Promise((resolve) => setTimeout(resolve, gapMs));
  }
  const t1 = performance.now();
  const stopped = await settle(recognition.stop());
  return {
    ok: stopped.ok,
    requestId,
    tier: started.value.tier,
    startMs,
    stopMs: performance.now() - t1,
    finals: recognition.finals.map((final) => final.text),
    error: stopped.ok ? undefined : stopped.error,
  };
}

let requests = 0;
const requestIdPrefix = Math.random().toString(36).slice(2, 8);
/** Ids the caller knows before the ack (to cancel by). */
const newRequestId = (): string => `bench-${requestIdPrefix}-${++requests}`;

type Outcome<T> = { ok: true; value: T } | { ok: false; error: FailureBody };

/** A request's answer as a value: the ack, or its failure. */
function settle<T>(answer: Promise<T>): Promise<Outcome<T>> {
  return answer.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error: failure(error) }),
  );
}
