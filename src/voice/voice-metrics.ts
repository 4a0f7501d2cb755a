import { Inject, Injectable, Optional } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { METRICS_REGISTRY } from '../metrics/metrics-registry';
import type { ErrorCode } from '../protocol/error-codes';
import type { SessionEndReason } from './voice-session-registry';

/** What the `event` label counts: client events, plus connections and recognitions failing on their own. */
export type VoiceEvent =
  | 'connect'
  | 'tts.synthesize'
  | 'tts.cancel'
  | 'tts.stream.start'
  | 'tts.stream.text'
  | 'tts.stream.end'
  | 'stt.start'
  | 'stt.audio'
  | 'stt.stop'
  | 'stt.recognition'
  | 'unknown';

/**
 * Request outcome label: `ok`; `resumed` (a connection that resumed its session); `displaced` (a connection whose
 * session another connection took over); `canceled` (stopped by the client, or nobody left to answer); or the
 * error code it was answered with.
 */
export type VoiceOutcome = 'ok' | 'resumed' | 'displaced' | 'canceled' | ErrorCode;

export interface SessionCounts {
  connected: number;
  resumable: number;
}

/**
 * The gateway's Prometheus series, on the application's registry (a private one when MetricsModule is absent,
 * e.g. in a test that composes only what it needs):
 * - `warmline_voice_sessions{state="connected"|"resumable"}` — sessions with a live socket / in the resume grace;
 * - `warmline_voice_sessions_ended_total{reason="expired"|"moved"|"shutdown"}` — sessions whose resume grace ran
 *   out, that a client resumed on another replica (fleet mode), or that shutdown ended;
 * - `warmline_voice_requests_total{event, outcome}` — every client request, by {@link VoiceOutcome};
 * - `warmline_voice_tts_stream_piece_seconds` — from receiving a `tts.stream.text` piece to handing it on.
 * Syntheses and recognitions of every transport, and the time to first audio byte, are the services' own
 * (SpeechMetrics: `warmline_speech_requests_total`, `warmline_tts_first_byte_seconds`).
 */
@Injectable()
export class VoiceMetrics {
  readonly registry: Registry;
  private readonly requests: Counter<'event' | 'outcome'>;
  private readonly ended: Counter<'reason'>;
  private readonly pieces: Histogram;
  private sessionCounts: () => SessionCounts = () => ({ connected: 0, resumable: 0 });

  constructor(@Optional() @Inject(METRICS_REGISTRY) registry?: Registry) {
    this.registry = registry ?? new Registry();
    const registers = [this.registry];
    const counts = (): SessionCounts => this.sessionCounts();
    new Gauge({
      name: 'warmline_voice_sessions',
      help: 'Voice sessions: with a connected socket, or disconnected and resumable within the grace',
      labelNames: ['state'],
      registers,
      collect() {
        const { connected, resumable } = counts();
        this.set({ state: 'connected' }, connected);
        this.set({ state: 'resumable' }, resumable);
      },
    });
    this.requests = new Counter({
      name: 'warmline_voice_requests_total',
      help: 'Voice gateway requests by event and outcome (ok, canceled, or the error code)',
      labelNames: ['event', 'outcome'],
      registers,
    });
    this.ended = new Counter({
      name: 'warmline_voice_sessions_ended_total',
      help: 'Voice sessions ended: resume grace ran out (expired), resumed on another replica (moved), or shutdown',
      labelNames: ['reason'],
      registers,
    });
    // Every reason from the first scrape, so rate() and alerts see 0 rather than no series.
    for (const reason of ['expired', 'moved', 'shutdown'] as const) this.ended.inc({ reason }, 0);
    this.pieces = new Histogram({
      name: 'warmline_voice_tts_stream_piece_seconds',
      help: 'Time from receiving a tts.stream.text piece to handing it to the Speech SDK (warmline own delay)',
      buckets: [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01],
      registers,
    });
  }

  /** A `tts.stream.text` piece was handed on (to the SDK, or held for a stream still waiting) `ms` after it arrived. */
  streamPiece(ms: number): void {
    this.pieces.observe(ms / 1000);
  }

  /** Where the sessions gauge reads its values at scrape time. */
  countSessionsWith(read: () => SessionCounts): void {
    this.sessionCounts = read;
  }

  request(event: VoiceEvent, outcome: VoiceOutcome): void {
    this.requests.inc({ event, outcome });
  }

  sessionEnded(reason: SessionEndReason): void {
    this.ended.inc({ reason });
  }
}
