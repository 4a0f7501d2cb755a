import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import {
  defaultResource,
  detectResources,
  envDetector,
  hostDetector,
  resourceFromAttributes,
} from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  ConsoleSpanExporter,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { DISABLED_TRACING } from './noop-tracing';
import { OpenTelemetryTracing } from './otel-tracing';
import { ReportingSpanExporter } from './reporting-span-exporter';
import type { Tracing } from './tracing';
import { tracingSettingsFromEnv, type TracingEnv } from './tracing-settings';

export const SERVICE_NAME = 'warmline';

/** The service's version from package.json (one level above src/ and dist/ alike); undefined if unreadable. */
function serviceVersion(): string | undefined {
  try {
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
      version?: unknown;
    };
    return typeof pkg.version === 'string' ? pkg.version : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Spans batched (BatchSpanProcessor: OTEL_BSP_* tune it) to each exporter, under a resource named `warmline`;
 * OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES override or add to it. Sampling follows OTEL_TRACES_SAMPLER
 * (default: parent-based, always on), so a caller's sampling decision in `traceparent` is kept.
 */
export function openTelemetryTracing(exporters: SpanExporter[]): OpenTelemetryTracing {
  const version = serviceVersion();
  const resource = defaultResource()
    .merge(
      resourceFromAttributes({
        [ATTR_SERVICE_NAME]: SERVICE_NAME,
        ...(version === undefined ? {} : { [ATTR_SERVICE_VERSION]: version }),
      }),
    )
    .merge(detectResources({ detectors: [hostDetector, envDetector] }));
  const provider = new BasicTracerProvider({
    resource,
    spanProcessors: exporters.map((exporter) => new BatchSpanProcessor(exporter)),
  });
  return new OpenTelemetryTracing(provider, version);
}

/**
 * The application's Tracing from the OTEL_* variables: disabled (shared no-ops) unless an exporter is asked for;
 * throws TracingSettingsError on invalid settings. The OTLP exporter reads its endpoint, headers and timeout from
 * the same variables.
 */
export function createTracing(env: TracingEnv, logger: Logger): Tracing {
  const settings = tracingSettingsFromEnv(env);
  if (!settings.enabled) return DISABLED_TRACING;
  const exporters = settings.exporters.map((name): SpanExporter =>
    name === 'otlp'
      ? new ReportingSpanExporter(new OTLPTraceExporter(), logger, settings.otlpEndpoint)
      : new ConsoleSpanExporter(),
  );
  logger.info(
    {
      exporters: settings.exporters,
      ...(settings.exporters.includes('otlp') ? { endpoint: settings.otlpEndpoint } : {}),
    },
    'tracing on: exporting OpenTelemetry spans',
  );
  return openTelemetryTracing(exporters);
}
