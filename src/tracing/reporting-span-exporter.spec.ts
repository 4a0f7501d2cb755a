import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { createRootLogger } from '../logging/root-logger';
import { ReportingSpanExporter } from './reporting-span-exporter';

describe('ReportingSpanExporter', () => {
  it('logs once when exports start failing and once when they recover, passing every result on', () => {
    const lines: Array<Record<string, unknown>> = [];
    const logger = createRootLogger('info', {
      write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>),
    });
    const results: ExportResult[] = [
      { code: ExportResultCode.FAILED, error: new Error('connect ECONNREFUSED 10.0.0.9:4318') },
      { code: ExportResultCode.FAILED, error: new Error('connect ECONNREFUSED 10.0.0.9:4318') },
      { code: ExportResultCode.SUCCESS },
      { code: ExportResultCode.SUCCESS },
    ];
    const inner: SpanExporter = {
      export: (_spans, done) => done(results.shift()!),
      shutdown: () => Promise.resolve(),
    };
    const exporter = new ReportingSpanExporter(inner, logger, 'http://collector:4318/v1/traces');
    const seen: ExportResultCode[] = [];
    for (let i = 0; i < 4; i++) exporter.export([], (result) => seen.push(result.code));

    expect(seen).toEqual([
      ExportResultCode.FAILED,
      ExportResultCode.FAILED,
      ExportResultCode.SUCCESS,
      ExportResultCode.SUCCESS,
    ]);
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'warn',
        msg: 'trace export failing: spans are being dropped',
        destination: 'http://collector:4318/v1/traces',
        err: 'connect ECONNREFUSED 10.0.0.9:4318',
      }),
      expect.objectContaining({ level: 'info', msg: 'trace export recovered' }),
    ]);
  });
});
