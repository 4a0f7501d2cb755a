import { trace } from '@opentelemetry/api';
import { extractTraceContext, handshakeTraceContext, traceCarrier } from './trace-context';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_ID = '00f067aa0ba902b7';
const TRACEPARENT = `00-${TRACE_ID}-${PARENT_ID}-01`;

const spanContextOf = (context: ReturnType<typeof extractTraceContext>) =>
  context === null ? undefined : trace.getSpanContext(context);

describe('trace context extraction', () => {
  it('reads a W3C traceparent and tracestate', () => {
    const context = extractTraceContext({ traceparent: TRACEPARENT, tracestate: 'vendor=abc' });
    expect(spanContextOf(context)).toMatchObject({
      traceId: TRACE_ID,
      spanId: PARENT_ID,
      traceFlags: 1,
      isRemote: true,
    });
    expect(spanContextOf(context)?.traceState?.get('vendor')).toBe('abc');
  });

  it('ignores a missing, malformed or all-zero traceparent', () => {
    expect(extractTraceContext(null)).toBeNull();
    expect(extractTraceContext({ traceparent: 'not-a-traceparent' })).toBeNull();
    expect(extractTraceContext({ traceparent: `00-${'0'.repeat(32)}-${PARENT_ID}-01` })).toBeNull();
  });

  it('takes only string fields from untrusted objects', () => {
    expect(traceCarrier(undefined)).toBeNull();
    expect(traceCarrier('traceparent')).toBeNull();
    expect(traceCarrier({ traceparent: 42 })).toBeNull();
    expect(traceCarrier({ traceparent: 'x'.repeat(5000) })).toBeNull();
    expect(traceCarrier({ traceparent: TRACEPARENT, tracestate: { a: 1 } })).toEqual({
      traceparent: TRACEPARENT,
    });
    expect(traceCarrier({ traceparent: [TRACEPARENT, 'second'] })).toEqual({ traceparent: TRACEPARENT });
  });

  it('prefers the Socket.IO handshake auth over its headers, and falls back to the headers', () => {
    const other = `00-${'a'.repeat(32)}-${'b'.repeat(16)}-00`;
    const fromAuth = handshakeTraceContext({
      auth: { token: 't', traceparent: TRACEPARENT },
      headers: { traceparent: other },
    });
    expect(spanContextOf(fromAuth)?.traceId).toBe(TRACE_ID);
    const fromHeaders = handshakeTraceContext({ auth: { token: 't' }, headers: { traceparent: other } });
    expect(spanContextOf(fromHeaders)).toMatchObject({ traceId: 'a'.repeat(32), traceFlags: 0 });
    expect(handshakeTraceContext({ auth: {}, headers: {} })).toBeNull();
  });
});
