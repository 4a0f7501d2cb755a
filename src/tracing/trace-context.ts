import {
  ROOT_CONTEXT,
  isSpanContextValid,
  trace,
  type Context,
  type TextMapGetter,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import type { IncomingHttpHeaders } from 'node:http';

/** W3C Trace Context carriers: `traceparent` and `tracestate`, as strings (anything else is ignored). */
export type TraceCarrier = Partial<Record<'traceparent' | 'tracestate', string>>;

/** Longer values are not trace context (a version-00 traceparent is 55 characters, tracestate at most 512). */
const MAX_VALUE_LENGTH = 1024;

const propagator = new W3CTraceContextPropagator();
const getter: TextMapGetter<TraceCarrier> = {
  get: (carrier, key) => carrier[key as keyof TraceCarrier],
  keys: (carrier) => Object.keys(carrier),
};

function stringField(source: unknown, key: string): string | undefined {
  if (typeof source !== 'object' || source === null) return undefined;
  const raw: unknown = (source as Record<string, unknown>)[key];
  const value = Array.isArray(raw) ? (raw as unknown[])[0] : raw;
  return typeof value === 'string' && value.length <= MAX_VALUE_LENGTH ? value : undefined;
}

/** The trace context fields of an object (Socket.IO handshake `auth`, HTTP headers); null without traceparent. */
export function traceCarrier(source: unknown): TraceCarrier | null {
  const traceparent = stringField(source, 'traceparent');
  if (traceparent === undefined) return null;
  const tracestate = stringField(source, 'tracestate');
  return tracestate === undefined ? { traceparent } : { traceparent, tracestate };
}

/** The remote span context a carrier names, as an OpenTelemetry Context; null when it is missing or invalid. */
export function extractTraceContext(carrier: TraceCarrier | null): Context | null {
  if (carrier === null) return null;
  const context = propagator.extract(ROOT_CONTEXT, carrier, getter);
  const spanContext = trace.getSpanContext(context);
  return spanContext !== undefined && isSpanContextValid(spanContext) ? context : null;
}

/** A Socket.IO handshake's trace context: `auth.traceparent` first (browsers cannot set headers), then headers. */
export function handshakeTraceContext(handshake: {
  auth: unknown;
  headers: IncomingHttpHeaders;
}): Context | null {
  return (
    extractTraceContext(traceCarrier(handshake.auth)) ?? extractTraceContext(traceCarrier(handshake.headers))
  );
}
