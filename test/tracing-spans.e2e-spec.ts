import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { openTelemetryTracing } from '../src/tracing/create-tracing';
import type { OpenTelemetryTracing } from '../src/tracing/otel-tracing';
import { startHttpSpeechApp, type HttpSpeechApp } from './support/app/http-speech-app';
import {
  ACK_TIMEOUT_MS,
  poolsSettled,
  recognise,
  startVoiceApp,
  synthesize,
  words,
  type VoiceApp,
} from './support/app/voice-harness';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN_ID = '00f067aa0ba902b7';
const TRACEPARENT = `00-${TRACE_ID}-${CALLER_SPAN_ID}-01`;

/** Exports what is buffered until `predicate` holds for the finished spans (ending a span may follow an event). */
async function spansUntil(
  tracing: OpenTelemetryTracing,
  exporter: InMemorySpanExporter,
  predicate: (spans: ReadableSpan[]) => boolean,
  what: string,
): Promise<ReadableSpan[]> {
  const deadline = Date.now() + ACK_TIMEOUT_MS;
  for (;;) {
    await tracing.flush();
    const spans = exporter.getFinishedSpans();
    if (predicate(spans)) return spans;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const named = (spans: ReadableSpan[], name: string): ReadableSpan[] => spans.filter((s) => s.name === name);
const byRequest = (spans: ReadableSpan[], requestId: string): ReadableSpan => {
  const found = spans.filter((s) => s.attributes['warmline.request.id'] === requestId);
  expect(found).toHaveLength(1);
  return found[0];
};

describe('OpenTelemetry spans of the voice API (real SDK clients, emulator, Socket.IO)', () => {
  let exporter: InMemorySpanExporter;
  let tracing: OpenTelemetryTracing;
  let v: VoiceApp;

  beforeAll(async () => {
    exporter = new InMemorySpanExporter();
    tracing = openTelemetryTracing([exporter]);
    v = await startVoiceApp({ tracing });
  });
  afterAll(async () => {
    await v?.close();
    await tracing?.shutdown();
  });

  it('traces a session under the handshake trace, with its syntheses and recognition as children', async () => {
    const client = v.connect({ traceContext: { traceparent: TRACEPARENT } });
    const { sessionId } = await client.ready();

    const spoken = await synthesize(client, {
      text: 'the quick brown fox',
      format: 'pcm-16k',
      requestId: 'tts-ok',
    });
    expect(spoken.ack).toMatchObject({ ok: true });

    v.emulator.setFaults({ dropMidStreamNext: 1 });
    const dropped = client.synthesize({
      text: 'this one is cut off in the middle of a rather long sentence',
      requestId: 'tts-dropped',
    });
    await expect(dropped).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });

    const heard = await recognise(client, spoken.audio, { sampleRate: 16_000, requestId: 'stt-ok' });
    expect(heard.stop).toMatchObject({ ok: true });
    expect(words(heard.finals.map((f) => f.text).join(' '))).toBe('the quick brown fox');

    client.close();
    const spans = await spansUntil(
      tracing,
      exporter,
      (all) => named(all, 'voice.session').length === 1,
      'the session span to end',
    );

    const [session] = named(spans, 'voice.session');
    expect(session.kind).toBe(SpanKind.SERVER);
    expect(session.spanContext().traceId).toBe(TRACE_ID);
    expect(session.parentSpanContext?.spanId).toBe(CALLER_SPAN_ID);
    expect(session.attributes['warmline.session.id']).toBe(sessionId);
    const underSession = (span: ReadableSpan): void => {
      expect(span.spanContext().traceId).toBe(TRACE_ID);
      expect(span.parentSpanContext?.spanId).toBe(session.spanContext().spanId);
    };

    const ok = byRequest(named(spans, 'tts.synthesize'), 'tts-ok');
    underSession(ok);
    expect(ok.attributes).toMatchObject({
      'warmline.voice': 'en-US-JennyNeural',
      'warmline.tier': spoken.ack.tier,
      'warmline.first_byte_ms': spoken.ack.firstByteMs,
      'warmline.audio.bytes': spoken.audio.length,
      'warmline.outcome': 'ok',
    });
    expect(ok.attributes['warmline.pool.wait_ms']).toEqual(expect.any(Number));
    expect(ok.status.code).toBe(SpanStatusCode.UNSET);

    const failed = byRequest(named(spans, 'tts.synthesize'), 'tts-dropped');
    underSession(failed);
    expect(failed.status.code).toBe(SpanStatusCode.ERROR);
    expect(failed.attributes).toMatchObject({
      'error.type': 'UPSTREAM_UNAVAILABLE',
      'warmline.error.retryable': true,
      'warmline.outcome': 'UPSTREAM_UNAVAILABLE',
    });
    expect(failed.events.map((e) => e.name)).toContain('exception');

    const recognition = byRequest(named(spans, 'stt.recognize'), 'stt-ok');
    underSession(recognition);
    expect(recognition.attributes).toMatchObject({
      'warmline.language': 'en-US',
      'warmline.tier': heard.start.tier,
      'warmline.recognition.finals': heard.stop.finals,
      'warmline.outcome': 'ok',
    });
    expect(recognition.attributes['warmline.pool.wait_ms']).toEqual(expect.any(Number));

    await poolsSettled(v);
  });
});

describe('OpenTelemetry spans of the HTTP speech API', () => {
  let exporter: InMemorySpanExporter;
  let tracing: OpenTelemetryTracing;
  let service: HttpSpeechApp;

  beforeAll(async () => {
    exporter = new InMemorySpanExporter();
    tracing = openTelemetryTracing([exporter]);
    service = await startHttpSpeechApp({ tracing });
  });
  afterAll(async () => {
    await service?.close();
    await tracing?.shutdown();
  });

  it("makes a synthesis a child of the caller's traceparent header", async () => {
    const response = await fetch(`${service.url}/api/v1/tts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent: TRACEPARENT },
      body: JSON.stringify({ text: 'hello there', format: 'pcm-16k' }),
    });
    expect(response.status).toBe(200);
    const audio = Buffer.from(await response.arrayBuffer());

    const spans = await spansUntil(
      tracing,
      exporter,
      (all) => named(all, 'tts.synthesize').length === 1,
      'the synthesis span to end',
    );
    const [span] = named(spans, 'tts.synthesize');
    expect(span.kind).toBe(SpanKind.SERVER);
    expect(span.spanContext().traceId).toBe(TRACE_ID);
    expect(span.parentSpanContext?.spanId).toBe(CALLER_SPAN_ID);
    expect(span.attributes).toMatchObject({
      'warmline.tier': response.headers.get('x-warmline-tier')?.toLowerCase(),
      'warmline.audio.bytes': audio.length,
      'warmline.outcome': 'ok',
    });
    expect(span.attributes['warmline.first_byte_ms']).toEqual(expect.any(Number));
    expect(span.attributes['warmline.pool.wait_ms']).toEqual(expect.any(Number));
  });
});
