import { Inject, Injectable, Optional } from '@nestjs/common';
import { Counter, Histogram, Registry } from 'prom-client';
import type { AllocationTier } from '../pools/allocation-tier';
import { METRICS_REGISTRY } from './metrics-registry';

/** Which transport a synthesis or recognition came in on: the /voice socket, warmline's HTTP API, OpenAI's routes. */
export type SpeechTransport = 'socketio' | 'http' | 'openai';
export const SPEECH_TRANSPORTS: readonly SpeechTransport[] = ['socketio', 'http', 'openai'];

export type SpeechOperation = 'synthesis' | 'recognition';

/** `ok`, `canceled` (by the client, or nobody left to answer), or the error code the client was answered with. */
export type SpeechOutcome = string;

export const SPEECH_REQUESTS_METRIC = 'warmline_speech_requests_total';
export const TTS_FIRST_BYTE_METRIC = 'warmline_tts_first_byte_seconds';

/**
 * The series of the synthesis and recognition services, where every transport meets:
 * - `warmline_speech_requests_total{operation, transport, tier, outcome}` — every synthesis and recognition once,
 *   when it was answered; `tier` is the one the client was told (`none` when it ended before it got a client);
 * - `warmline_tts_first_byte_seconds{transport, tier}` — from the start of serving a synthesis (acquire included)
 *   to its first audio chunk, for completed syntheses.
 * On the application's registry (a private one when no METRICS_REGISTRY is provided).
 */
@Injectable()
export class SpeechMetrics {
  private readonly requests: Counter<'operation' | 'transport' | 'tier' | 'outcome'>;
  private readonly firstByte: Histogram<'transport' | 'tier'>;

  constructor(@Optional() @Inject(METRICS_REGISTRY) registry?: Registry) {
    const registers = [registry ?? new Registry()];
    this.requests = new Counter({
      name: SPEECH_REQUESTS_METRIC,
      help: 'Syntheses and recognitions by transport, the tier the client was told, and outcome (ok, canceled, or the error code)',
      labelNames: ['operation', 'transport', 'tier', 'outcome'],
      registers,
    });
    // Every transport's ok series from the first scrape, so rate() and alerts see 0 rather than no series.
    for (const transport of SPEECH_TRANSPORTS)
      for (const operation of ['synthesis', 'recognition'] as const)
        this.requests.inc({ operation, transport, tier: 'warm', outcome: 'ok' }, 0);
    this.firstByte = new Histogram({
      name: TTS_FIRST_BYTE_METRIC,
      help: 'Time from serving a synthesis request (client allocation included) to its first audio chunk, by transport and tier',
      labelNames: ['transport', 'tier'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
  }

  /** A synthesis was answered; `firstByteMs` of a completed one goes into the first-byte histogram. */
  synthesis(
    transport: SpeechTransport,
    tier: AllocationTier | null,
    outcome: SpeechOutcome,
    firstByteMs: number | null,
  ): void {
    this.requests.inc({ operation: 'synthesis', transport, tier: tier ?? 'none', outcome });
    if (outcome === 'ok' && tier !== null && firstByteMs !== null) {
      this.firstByte.observe({ transport, tier }, firstByteMs / 1000);
    }
  }

  /** A recognition ended (its recognizer went back to the pool). */
  recognition(transport: SpeechTransport, tier: AllocationTier | null, outcome: SpeechOutcome): void {
    this.requests.inc({ operation: 'recognition', transport, tier: tier ?? 'none', outcome });
  }
}
