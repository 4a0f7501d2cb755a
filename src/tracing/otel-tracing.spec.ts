import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import { InMemorySpanExporter, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { AllocationTier } from '../pools/allocation-tier';
import { SpeechError } from '../speech/speech-error';
import { openTelemetryTracing } from './create-tracing';
import { SHUTDOWN_FLUSH_TIMEOUT_MS, type OpenTelemetryTracing } from './otel-tracing';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN_ID = '00f067aa0ba902b7';
const traceparent = (flags = '01') => `00-${TRACE_ID}-${CALLER_SPAN_ID}-${flags}`;

describe('OpenTelemetry tracing (in-memory exporter)', () => {
  let exporter: InMemorySpanExporter;
  let tracing: OpenTelemetryTracing;

  beforeEach(() => {
    exporter = new InMemorySpanExporter();
    tracing = openTelemetryTracing([exporter]);
  });
  afterEach(() => tracing.shutdown());

  async function finished(): Promise<ReadableSpan[]> {
    await tracing.flush();
    return exporter.getFinishedSpans();
  }
  const named = (spans: ReadableSpan[], name: string): ReadableSpan => {
    const found = spans.filter((s) => s.name === name);
    expect(found).toHaveLength(1);
    return found[0];
  };

  it('traces a session under the trace context of its Socket.IO handshake', async () => {
    const parent = tracing.parentFromHandshake({
      auth: { token: 'k', traceparent: traceparent() },
      headers: {},
    });
    expect(parent).not.toBeNull();
    const session = tracing.startSession('session-1', parent);
    session.setResumed(true);
    session.end();

    const span = named(await finished(), 'voice.session');
    expect(span.kind).toBe(SpanKind.SERVER);
    expect(span.spanContext().traceId).toBe(TRACE_ID);
    expect(span.parentSpanContext?.spanId).toBe(CALLER_SPAN_ID);
    expect(span.attributes).toEqual({ 'warmline.session.id': 'session-1', 'warmline.session.resumed': true });
    expect(span.resource.attributes['service.name']).toBe('warmline');
  });

  it('records a synthesis as a child of its session with tier, pool wait, first byte and bytes', async () => {
    const session = tracing.startSession('session-1', null);
    const synthesis = tracing.startSynthesis(session, 'request-1', 'en-US-JennyNeural');
    synthesis.setPoolWaitMs(0.25);
    synthesis.setTier(AllocationTier.WARM);
    synthesis.setFirstByteMs(3.9);
    synthesis.setAudioBytes(48_000);
    synthesis.setOutcome('ok');
    synthesis.end();
    session.end();

    const spans = await finished();
    const sessionSpan = named(spans, 'voice.session');
    const span = named(spans, 'tts.synthesize');
    expect(span.kind).toBe(SpanKind.INTERNAL);
    expect(span.spanContext().traceId).toBe(sessionSpan.spanContext().traceId);
    expect(span.parentSpanContext?.spanId).toBe(sessionSpan.spanContext().spanId);
    expect(span.attributes).toEqual({
      'warmline.request.id': 'request-1',
      'warmline.voice': 'en-US-JennyNeural',
      'warmline.pool.wait_ms': 0.25,
      'warmline.tier': 'warm',
      'warmline.first_byte_ms': 3.9,
      'warmline.audio.bytes': 48_000,
      'warmline.outcome': 'ok',
    });
    expect(span.events.map((e) => e.name)).toEqual(['client allocated', 'first audio byte']);
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('records an upstream error on a recognition: status, error.type, retryable and the exception', async () => {
    const session = tracing.startSession('session-1', null);
    const recognition = tracing.startRecognition(session, 'request-2', 'de-DE');
    recognition.setTier(AllocationTier.COLD);
    recognition.recordError(new SpeechError('UPSTREAM_THROTTLED', 'the speech service answered 429'));
    recognition.setOutcome('UPSTREAM_THROTTLED');
    recognition.end();
    session.end();

    const span = named(await finished(), 'stt.recognize');
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'the speech service answered 429' });
    expect(span.attributes).toMatchObject({
      'warmline.request.id': 'request-2',
      'warmline.language': 'de-DE',
      'warmline.tier': 'cold',
      'error.type': 'UPSTREAM_THROTTLED',
      'warmline.error.retryable': true,
      'warmline.outcome': 'UPSTREAM_THROTTLED',
    });
    expect(span.events.map((e) => e.name)).toEqual(['exception']);
    expect(span.events[0].attributes?.['exception.message']).toBe('the speech service answered 429');
  });

  it('serves an HTTP request under the trace context of its headers', async () => {
    const parent = tracing.parentFromHeaders({
      traceparent: traceparent(),
      'content-type': 'application/json',
    });
    const synthesis = tracing.startSynthesis(parent, 'http-request');
    synthesis.recordError(new Error('boom'));
    synthesis.end();

    const span = named(await finished(), 'tts.synthesize');
    expect(span.kind).toBe(SpanKind.SERVER);
    expect(span.parentSpanContext?.spanId).toBe(CALLER_SPAN_ID);
    expect(span.attributes['error.type']).toBe('Error');
  });

  it("keeps the caller's decision not to sample", async () => {
    const parent = tracing.parentFromHeaders({ traceparent: traceparent('00') });
    tracing.startSynthesis(parent, 'unsampled').end();
    tracing.startSynthesis(null, 'sampled').end();
    expect((await finished()).map((s) => s.attributes['warmline.request.id'])).toEqual(['sampled']);
  });

  it('starts a new trace without a parent, and ignores an invalid one', async () => {
    expect(tracing.parentFromHeaders({ traceparent: 'garbage' })).toBeNull();
    expect(tracing.parentFromHandshake({ auth: null, headers: {} })).toBeNull();
    tracing.startRecognition(null, 'r').end();
    const [span] = await finished();
    expect(span.parentSpanContext).toBeUndefined();
    expect(span.kind).toBe(SpanKind.SERVER);
  });

  it('ends a span once; later calls change nothing', async () => {
    const synthesis = tracing.startSynthesis(null, 'r');
    synthesis.end();
    synthesis.setTier(AllocationTier.COLD);
    synthesis.recordError(new Error('late'));
    synthesis.end();
    const spans = await finished();
    expect(spans).toHaveLength(1);
    expect(spans[0].attributes['warmline.tier']).toBeUndefined();
    expect(spans[0].status.code).toBe(SpanStatusCode.UNSET);
  });

  it('takes OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES over its defaults', async () => {
    const saved = { name: process.env.OTEL_SERVICE_NAME, attributes: process.env.OTEL_RESOURCE_ATTRIBUTES };
    process.env.OTEL_SERVICE_NAME = 'voice-gateway-eu';
    process.env.OTEL_RESOURCE_ATTRIBUTES = 'deployment.environment.name=staging';
    const own = new InMemorySpanExporter();
    const renamed = openTelemetryTracing([own]);
    try {
      renamed.startSession('s', null).end();
      await renamed.flush();
      expect(own.getFinishedSpans()[0].resource.attributes).toMatchObject({
        'service.name': 'voice-gateway-eu',
        'deployment.environment.name': 'staging',
      });
    } finally {
      await renamed.shutdown();
      for (const [key, value] of [
        ['OTEL_SERVICE_NAME', saved.name],
        ['OTEL_RESOURCE_ATTRIBUTES', saved.attributes],
      ] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });

  it('exports buffered spans at shutdown, and does not wait longer than its bound for a stuck exporter', async () => {
    const exported: string[] = [];
    const recording: SpanExporter = {
      export: (spans, done) => {
        exported.push(...spans.map((s) => s.name));
        done({ code: ExportResultCode.SUCCESS });
      },
      shutdown: () => Promise.resolve(),
    };
    const batched = openTelemetryTracing([recording]);
    batched.startSession('s', null).end();
    expect(exported).toEqual([]); // batched: nothing sent yet
    await batched.shutdown();
    expect(exported).toEqual(['voice.session']);

    jest.useFakeTimers();
    try {
      const stuck: SpanExporter = {
        export: () => undefined, // never answers, like a collector that accepts the connection and hangs
        shutdown: () => new Promise(() => undefined),
      };
      const hanging = openTelemetryTracing([stuck]);
      hanging.startSession('s', null).end();
      let done = false;
      const stopped = hanging.shutdown().then(() => (done = true));
      await jest.advanceTimersByTimeAsync(SHUTDOWN_FLUSH_TIMEOUT_MS - 1);
      expect(done).toBe(false);
      await jest.advanceTimersByTimeAsync(1);
      await stopped;
      expect(done).toBe(true);
    } finally {
      jest.useRealTimers();
    }
  });

  it('reports a failed export result to the processor (no exception escapes)', async () => {
    const failing: SpanExporter = {
      export: (_spans, done) => done({ code: ExportResultCode.FAILED, error: new Error('refused') }),
      shutdown: () => Promise.resolve(),
    };
    const broken = openTelemetryTracing([failing]);
    broken.startSession('s', null).end();
    await expect(broken.flush()).resolves.toBeUndefined();
    await broken.shutdown();
  });
});
