import { TracingSettingsError, tracingSettingsFromEnv } from './tracing-settings';

describe('tracingSettingsFromEnv', () => {
  it('is off with no OpenTelemetry variables (unlike the SDK, nothing is sent to localhost by default)', () => {
    expect(tracingSettingsFromEnv({})).toEqual({ enabled: false });
    expect(tracingSettingsFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: '  ' })).toEqual({ enabled: false });
  });

  it('exports OTLP to <endpoint>/v1/traces when OTEL_EXPORTER_OTLP_ENDPOINT is set', () => {
    expect(tracingSettingsFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' })).toEqual({
      enabled: true,
      exporters: ['otlp'],
      otlpEndpoint: 'http://collector:4318/v1/traces',
    });
  });

  it('uses the traces endpoint as given, without credentials or query in what it reports', () => {
    expect(
      tracingSettingsFromEnv({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://ignored:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://user:secret@otel.example.com/custom/traces?token=abc',
      }),
    ).toEqual({ enabled: true, exporters: ['otlp'], otlpEndpoint: 'https://otel.example.com/custom/traces' });
  });

  it('follows OTEL_TRACES_EXPORTER: otlp (default endpoint), console, none', () => {
    expect(tracingSettingsFromEnv({ OTEL_TRACES_EXPORTER: 'otlp' })).toEqual({
      enabled: true,
      exporters: ['otlp'],
      otlpEndpoint: 'http://localhost:4318/v1/traces',
    });
    expect(tracingSettingsFromEnv({ OTEL_TRACES_EXPORTER: 'Console, otlp' })).toMatchObject({
      enabled: true,
      exporters: ['console', 'otlp'],
    });
    expect(
      tracingSettingsFromEnv({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' }),
    ).toEqual({ enabled: false });
  });

  it('is off with OTEL_SDK_DISABLED=true whatever else is set', () => {
    expect(
      tracingSettingsFromEnv({ OTEL_SDK_DISABLED: 'TRUE', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' }),
    ).toEqual({ enabled: false });
  });

  it('refuses what it cannot honour, naming every variable', () => {
    let error: unknown;
    try {
      tracingSettingsFromEnv({
        OTEL_TRACES_EXPORTER: 'zipkin',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TracingSettingsError);
    const message = (error as Error).message;
    expect(message).toContain('OTEL_TRACES_EXPORTER: must list otlp, console, none (got "zipkin")');
    expect(message).toContain('OTEL_EXPORTER_OTLP_ENDPOINT: must be an http:// or https:// URL');
    expect(message).toContain('OTEL_EXPORTER_OTLP_PROTOCOL: warmline exports OTLP over HTTP');
    expect(() => tracingSettingsFromEnv({ OTEL_TRACES_EXPORTER: 'none,otlp' })).toThrow(/cannot be combined/);
  });

  it('accepts both OTLP/HTTP encodings', () => {
    for (const protocol of ['http/json', 'http/protobuf']) {
      expect(
        tracingSettingsFromEnv({
          OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318',
          OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
        }),
      ).toMatchObject({ enabled: true });
    }
  });
});
