/** What OTEL_TRACES_EXPORTER may name: OTLP over HTTP, or spans printed on stdout (for a quick look). */
export type TraceExporterName = 'otlp' | 'console';

export type TracingSettings =
  | { enabled: false }
  | {
      enabled: true;
      exporters: TraceExporterName[];
      /** Where OTLP spans go, for the start-up log line (credentials and query left out). */
      otlpEndpoint: string;
    };

export type TracingEnv = Record<string, string | undefined>;

/** Invalid OTEL_* settings: start-up stops with one line per problem, as for warmline's own variables. */
export class TracingSettingsError extends Error {
  override readonly name = 'TracingSettingsError';

  constructor(problems: string[]) {
    super(
      ['Invalid tracing configuration (OpenTelemetry variables):', ...problems.map((p) => `  ${p}`)].join(
        '\n',
      ),
    );
    this.stack = `${this.name}: ${this.message}`;
  }
}

const EXPORTERS = ['otlp', 'console', 'none'] as const;
/** The OTLP exporter sends JSON over HTTP; an OTLP/HTTP receiver takes it on the same endpoint as protobuf. */
const PROTOCOLS = ['http/json', 'http/protobuf'];
const DEFAULT_OTLP_BASE = 'http://localhost:4318';

function value(env: TracingEnv, name: string): string | undefined {
  const raw = env[name]?.trim();
  return raw === '' ? undefined : raw;
}

/**
 * Whether and where to export traces, from the standard OpenTelemetry variables. Unlike the OpenTelemetry SDK
 * default, nothing is exported unless asked for: tracing is on when OTEL_EXPORTER_OTLP_ENDPOINT (or
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) or OTEL_TRACES_EXPORTER is set, and OTEL_SDK_DISABLED=true or
 * OTEL_TRACES_EXPORTER=none turn it off. The other OTEL_* variables (headers, timeouts, sampler, batch sizes,
 * resource attributes, service name) are read by the SDK itself.
 */
export function tracingSettingsFromEnv(env: TracingEnv): TracingSettings {
  if (value(env, 'OTEL_SDK_DISABLED')?.toLowerCase() === 'true') return { enabled: false };
  const problems: string[] = [];

  const tracesEndpoint = value(env, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  const baseEndpoint = value(env, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  for (const [name, url] of [
    ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', tracesEndpoint],
    ['OTEL_EXPORTER_OTLP_ENDPOINT', baseEndpoint],
  ] as const) {
    if (url !== undefined && !isHttpUrl(url)) problems.push(`${name}: must be an http:// or https:// URL`);
  }
  for (const name of ['OTEL_EXPORTER_OTLP_TRACES_PROTOCOL', 'OTEL_EXPORTER_OTLP_PROTOCOL']) {
    const protocol = value(env, name);
    if (protocol !== undefined && !PROTOCOLS.includes(protocol)) {
      problems.push(
        `${name}: warmline exports OTLP over HTTP (${PROTOCOLS.join(' or ')}, port 4318), not ${JSON.stringify(protocol)}`,
      );
    }
  }

  let exporters: string[] = [];
  const listed = value(env, 'OTEL_TRACES_EXPORTER');
  if (listed !== undefined) {
    exporters = [...new Set(listed.split(',').map((e) => e.trim().toLowerCase()))].filter((e) => e !== '');
    const unknown = exporters.filter((e) => !(EXPORTERS as readonly string[]).includes(e));
    if (unknown.length > 0) {
      problems.push(
        `OTEL_TRACES_EXPORTER: must list ${EXPORTERS.join(', ')} (got ${JSON.stringify(listed)})`,
      );
    } else if (exporters.includes('none') && exporters.length > 1) {
      problems.push('OTEL_TRACES_EXPORTER: none cannot be combined with an exporter');
    }
  } else if (tracesEndpoint !== undefined || baseEndpoint !== undefined) {
    exporters = ['otlp'];
  }
  if (problems.length > 0) throw new TracingSettingsError(problems);

  const chosen = exporters.filter((e): e is TraceExporterName => e === 'otlp' || e === 'console');
  if (chosen.length === 0) return { enabled: false };
  const endpoint = tracesEndpoint ?? `${(baseEndpoint ?? DEFAULT_OTLP_BASE).replace(/\/+$/, '')}/v1/traces`;
  return { enabled: true, exporters: chosen, otlpEndpoint: redactUrl(endpoint) };
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** The URL without user info or query (either may carry a token). */
function redactUrl(text: string): string {
  const url = new URL(text);
  return `${url.protocol}//${url.host}${url.pathname}`;
}
