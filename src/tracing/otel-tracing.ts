import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Context,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import type { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { ATTR_ERROR_TYPE } from '@opentelemetry/semantic-conventions';
import type { IncomingHttpHeaders } from 'node:http';
import type { AllocationTier } from '../pools/allocation-tier';
import { SPAN_ATTRIBUTES as A, SPAN_NAMES } from './span-attributes';
import { extractTraceContext, handshakeTraceContext, traceCarrier } from './trace-context';
import {
  Tracing,
  type RecognitionSpan,
  type SessionSpan,
  type SynthesisSpan,
  type TraceParent,
} from './tracing';

/** Longest a shutdown waits for the last spans to be exported: it must fit in the pod's grace period. */
export const SHUTDOWN_FLUSH_TIMEOUT_MS = 2_000;

class RemoteParent implements TraceParent {
  readonly kind = 'trace-parent' as const;
  constructor(readonly context: Context) {}
}

function recordError(span: Span, error: unknown): void {
  const code =
    typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string'
      ? (error as { code: string }).code
      : error instanceof Error
        ? error.name
        : 'INTERNAL';
  const message = error instanceof Error ? error.message : String(error);
  span.setAttribute(ATTR_ERROR_TYPE, code);
  const retryable = (error as { retryable?: unknown } | null)?.retryable;
  if (typeof retryable === 'boolean') span.setAttribute(A.retryable, retryable);
  span.recordException(error instanceof Error ? error : message);
  span.setStatus({ code: SpanStatusCode.ERROR, message });
}

class OtelSessionSpan implements SessionSpan {
  readonly kind = 'session-span' as const;
  readonly context: Context;
  private ended = false;

  constructor(private readonly span: Span) {
    this.context = trace.setSpan(ROOT_CONTEXT, span);
  }

  setResumed(resumed: boolean): void {
    this.span.setAttribute(A.sessionResumed, resumed);
  }

  recordError(error: unknown): void {
    if (!this.ended) recordError(this.span, error);
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.span.end();
  }
}

/** A synthesis or a recognition; the setters that do not apply to one are simply not called for it. */
class OtelSpeechSpan implements SynthesisSpan, RecognitionSpan {
  private ended = false;

  constructor(private readonly span: Span) {}

  setTier(tier: AllocationTier): void {
    this.set(A.tier, tier);
  }

  setPoolWaitMs(ms: number): void {
    if (this.ended) return;
    this.span.setAttribute(A.poolWaitMs, ms);
    this.span.addEvent('client allocated');
  }

  setFirstByteMs(ms: number): void {
    if (this.ended) return;
    this.span.setAttribute(A.firstByteMs, ms);
    this.span.addEvent('first audio byte');
  }

  setAudioBytes(bytes: number): void {
    this.set(A.audioBytes, bytes);
  }

  setFinals(count: number): void {
    this.set(A.finals, count);
  }

  setOutcome(outcome: string): void {
    this.set(A.outcome, outcome);
  }

  recordError(error: unknown): void {
    if (!this.ended) recordError(this.span, error);
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.span.end();
  }

  private set(key: string, value: string | number): void {
    if (!this.ended) this.span.setAttribute(key, value);
  }
}

/** Tracing on: spans through the OpenTelemetry SDK's provider (its processors and exporters decide where to). */
export class OpenTelemetryTracing extends Tracing {
  readonly enabled = true;
  private readonly tracer: Tracer;
  private stopped: Promise<void> | null = null;

  constructor(
    private readonly provider: BasicTracerProvider,
    version?: string,
  ) {
    super();
    this.tracer = provider.getTracer('warmline', version);
  }

  parentFromHandshake(handshake: { auth: unknown; headers: IncomingHttpHeaders }): TraceParent | null {
    const context = handshakeTraceContext(handshake);
    return context === null ? null : new RemoteParent(context);
  }

  parentFromHeaders(headers: IncomingHttpHeaders): TraceParent | null {
    const context = extractTraceContext(traceCarrier(headers));
    return context === null ? null : new RemoteParent(context);
  }

  startSession(sessionId: string, parent: TraceParent | null): SessionSpan {
    const span = this.tracer.startSpan(
      SPAN_NAMES.session,
      { kind: SpanKind.SERVER, attributes: { [A.sessionId]: sessionId } },
      parent instanceof RemoteParent ? parent.context : ROOT_CONTEXT,
    );
    return new OtelSessionSpan(span);
  }

  startSynthesis(parent: SessionSpan | TraceParent | null, requestId: string, voice?: string): SynthesisSpan {
    return this.startSpeech(SPAN_NAMES.synthesis, parent, requestId, A.voice, voice);
  }

  startRecognition(
    parent: SessionSpan | TraceParent | null,
    requestId: string,
    language?: string,
  ): RecognitionSpan {
    return this.startSpeech(SPAN_NAMES.recognition, parent, requestId, A.language, language);
  }

  /** Never rejects: a failed export is the exporter's to report (ReportingSpanExporter logs it). */
  async flush(): Promise<void> {
    await this.provider.forceFlush().catch(() => undefined);
  }

  /** Bounded: an unreachable collector must not hold the process past its grace period. */
  shutdown(): Promise<void> {
    this.stopped ??= new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, SHUTDOWN_FLUSH_TIMEOUT_MS);
      timer.unref();
      this.provider.shutdown().then(
        () => resolve(),
        () => resolve(),
      );
    });
    return this.stopped;
  }

  private startSpeech(
    name: string,
    parent: SessionSpan | TraceParent | null,
    requestId: string,
    detailKey: string,
    detail: string | undefined,
  ): OtelSpeechSpan {
    // Under a session it is part of that session's work; under a caller's context (HTTP) it serves the request.
    const underSession = parent instanceof OtelSessionSpan;
    const context = underSession
      ? parent.context
      : parent instanceof RemoteParent
        ? parent.context
        : ROOT_CONTEXT;
    const attributes: Record<string, string> = { [A.requestId]: requestId };
    if (detail !== undefined) attributes[detailKey] = detail;
    const span = this.tracer.startSpan(
      name,
      { kind: underSession ? SpanKind.INTERNAL : SpanKind.SERVER, attributes },
      context,
    );
    return new OtelSpeechSpan(span);
  }
}
