import { execFile } from 'node:child_process';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DISABLED_TRACING } from '../../src/tracing/noop-tracing';
import { Tracing } from '../../src/tracing/tracing';
import { TracingSettingsError } from '../../src/tracing/tracing-settings';
import { OpenTelemetryTracing } from '../../src/tracing/otel-tracing';
import { createTestApp } from '../support/app/create-test-app';

jest.setTimeout(60_000);

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const ROOT = join(__dirname, '..', '..');

interface OtlpAttribute {
  key: string;
  value: { stringValue?: string; doubleValue?: number; intValue?: number | string; boolValue?: boolean };
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes: OtlpAttribute[];
}
interface OtlpExport {
  resourceSpans: Array<{
    resource: { attributes: OtlpAttribute[] };
    scopeSpans: Array<{ spans: OtlpSpan[] }>;
  }>;
}

/** A stand-in OpenTelemetry collector on loopback: records what arrives at POST /v1/traces (OTLP/HTTP JSON). */
async function startCollector(): Promise<{ url: string; requests: OtlpExport[]; server: Server }> {
  const requests: OtlpExport[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      if (
        req.method === 'POST' &&
        req.url === '/v1/traces' &&
        req.headers['content-type'] === 'application/json'
      ) {
        requests.push(JSON.parse(body) as OtlpExport);
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, server };
}

const attribute = (attributes: OtlpAttribute[], key: string) => {
  const value = attributes.find((a) => a.key === key)?.value;
  return value?.stringValue ?? value?.doubleValue ?? value?.intValue ?? value?.boolValue;
};

describe('tracing in the application (e2e)', () => {
  it('is off by default: the shared disabled Tracing, no exporter', async () => {
    const { app } = await createTestApp();
    try {
      expect(app.get(Tracing)).toBe(DISABLED_TRACING);
    } finally {
      await app.close();
    }
  });

  it('is on with OTEL_EXPORTER_OTLP_ENDPOINT, and flushed when the application shuts down', async () => {
    const { app } = await createTestApp({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' } });
    const tracing = app.get(Tracing);
    expect(tracing).toBeInstanceOf(OpenTelemetryTracing);
    const shutdown = jest.spyOn(tracing, 'shutdown');
    await app.close();
    expect(shutdown).toHaveBeenCalledTimes(1);
  });

  it('refuses to start with OpenTelemetry settings it cannot honour', async () => {
    await expect(
      createTestApp({ env: { OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' } }),
    ).rejects.toThrow(TracingSettingsError);
  });

  it('exports spans over OTLP/HTTP to the endpoint the environment names, under the caller trace', async () => {
    const collector = await startCollector();
    try {
      const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve) => {
        const child = execFile(
          process.execPath,
          [
            '-r',
            'ts-node/register/transpile-only',
            join(__dirname, '..', 'support', 'deploy', 'otlp-export-child.ts'),
          ],
          {
            cwd: ROOT,
            env: {
              PATH: process.env.PATH,
              OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
              TRACEPARENT: `00-${TRACE_ID}-00f067aa0ba902b7-01`,
            },
          },
          (_error, stdout, stderr) => resolve({ code: child.exitCode, output: stdout + stderr }),
        );
      });
      expect([code, output]).toEqual([0, '']);

      const exported = collector.requests.flatMap((r) => r.resourceSpans);
      expect(exported.length).toBeGreaterThan(0);
      expect(attribute(exported[0].resource.attributes, 'service.name')).toBe('warmline');
      const spans = exported.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));
      expect(spans.map((s) => s.name).sort()).toEqual(['tts.synthesize', 'voice.session']);
      for (const span of spans) expect(span.traceId.toLowerCase()).toBe(TRACE_ID);
      const session = spans.find((s) => s.name === 'voice.session')!;
      const synthesis = spans.find((s) => s.name === 'tts.synthesize')!;
      expect(session.parentSpanId?.toLowerCase()).toBe('00f067aa0ba902b7');
      expect(synthesis.parentSpanId).toBe(session.spanId);
      expect(attribute(synthesis.attributes, 'warmline.tier')).toBe('dedicated');
      expect(attribute(synthesis.attributes, 'warmline.first_byte_ms')).toBe(4.2);
    } finally {
      collector.server.close();
    }
  });
});
