import type { IncomingHttpHeaders } from 'node:http';
import type { AllocationTier } from '../pools/allocation-tier';

/**
 * A trace context received from a caller (W3C `traceparent`), to start spans under. Opaque: only the Tracing that
 * extracted it can read it.
 */
export interface TraceParent {
  readonly kind: 'trace-parent';
}

/** One voice session (one Socket.IO connection): the parent of its syntheses and recognitions. */
export interface SessionSpan {
  readonly kind: 'session-span';
  /** The client reconnected within the resume grace and got its session back. */
  setResumed(resumed: boolean): void;
  recordError(error: unknown): void;
  /** Idempotent: the first call ends the span. */
  end(): void;
}

/** What syntheses and recognitions have in common: a pooled client, a wait for it, an outcome. */
export interface SpeechSpan {
  setTier(tier: AllocationTier): void;
  /** Time from asking the pool to getting the client. */
  setPoolWaitMs(ms: number): void;
  /** `ok`, `canceled`, `abandoned` (nobody left to answer: disconnected) or the error code the client was given. */
  setOutcome(outcome: string): void;
  /** A failure (upstream errors included): status ERROR, its code as `error.type`, the exception as an event. */
  recordError(error: unknown): void;
  /** Idempotent: the first call ends the span. */
  end(): void;
}

export interface SynthesisSpan extends SpeechSpan {
  /** Time from the start of serving the request to its first audio chunk. */
  setFirstByteMs(ms: number): void;
  setAudioBytes(bytes: number): void;
}

export interface RecognitionSpan extends SpeechSpan {
  setFinals(count: number): void;
}

/**
 * Tracing for the voice and speech paths. The application provides one instance (TracingModule): it exports
 * OpenTelemetry spans when the standard OTEL_* variables ask for it, and is otherwise a disabled implementation
 * whose methods return shared no-op objects, so a caller pays no allocation and no work per call.
 *
 * Spans: `voice.session` per Socket.IO connection (parent: the handshake's trace context), with `tts.synthesize`
 * and `stt.recognize` children; an HTTP speech request starts its `tts.synthesize` / `stt.recognize` span under
 * the trace context of its headers.
 */
export abstract class Tracing {
  /** Whether spans are recorded and exported. Callers need not check it: disabled methods cost nothing. */
  abstract readonly enabled: boolean;

  /** The caller's trace context from a Socket.IO handshake: `auth.traceparent` (and `auth.tracestate`), else the headers. */
  abstract parentFromHandshake(handshake: {
    auth: unknown;
    headers: IncomingHttpHeaders;
  }): TraceParent | null;

  /** The caller's trace context from HTTP request headers (`traceparent`, `tracestate`). */
  abstract parentFromHeaders(headers: IncomingHttpHeaders): TraceParent | null;

  abstract startSession(sessionId: string, parent: TraceParent | null): SessionSpan;

  abstract startSynthesis(
    parent: SessionSpan | TraceParent | null,
    requestId: string,
    voice?: string,
  ): SynthesisSpan;

  abstract startRecognition(
    parent: SessionSpan | TraceParent | null,
    requestId: string,
    language?: string,
  ): RecognitionSpan;

  /** Exports what is buffered (tests, shutdown); never rejects. */
  abstract flush(): Promise<void>;

  /** Flushes and stops exporting; idempotent. */
  abstract shutdown(): Promise<void>;
}
