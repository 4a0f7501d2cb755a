import type { HttpApp } from './support/app/http-app';
import { Counter, type Registry } from 'prom-client';
import request from 'supertest';
import { METRICS_REGISTRY } from '../src/metrics/metrics-registry';
import { PoolObserverFactory } from '../src/metrics/pool-observer.factory';
import { AllocationTier } from '../src/pools/allocation-tier';
import { createTestApp, type TestApp } from './support/app/create-test-app';

describe('GET /metrics (e2e)', () => {
  let testApp: TestApp;
  let app: HttpApp;

  beforeEach(async () => {
    testApp = await createTestApp();
    app = testApp.app;
  });
  afterEach(() => app.close());

  const scrape = () => request(app.getHttpServer()).get('/metrics').expect(200);

  it('serves Prometheus text with per-pool series and process metrics', async () => {
    const res = await scrape();
    // Express puts charset first; parameter order carries no meaning for Prometheus.
    expect(res.headers['content-type']).toMatch(/^text\/plain;/);
    expect(res.headers['content-type']).toContain('version=0.0.4');
    expect(res.text).toContain('warmline_pool_warm_size{pool="tts"} 2');
    expect(res.text).toContain('warmline_pool_warm_size{pool="stt"} 2');
    expect(res.text).toContain('warmline_pool_ready{pool="tts"} 1');
    expect(res.text).toContain('warmline_pool_allocations_total{pool="stt",tier="cold"} 0');
    expect(res.text).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(res.text).toMatch(/^nodejs_heap_size_used_bytes \d/m);
  });

  it('reflects the pools at scrape time', async () => {
    testApp.pools.get('stt')?.update({ ready: false, metrics: { allocationsCold: 7, factoryFailures: 3 } });
    const res = await scrape();
    expect(res.text).toContain('warmline_pool_ready{pool="stt"} 0');
    expect(res.text).toContain('warmline_pool_allocations_total{pool="stt",tier="cold"} 7');
    expect(res.text).toContain('warmline_pool_factory_failures_total{pool="stt"} 3');
  });

  it('carries the allocation-latency histogram fed by the pool observer', async () => {
    const observer = app.get(PoolObserverFactory).forPool('tts');
    observer.allocated?.(AllocationTier.WARM, 0.3, 'session-1');
    const res = await scrape();
    expect(res.text).toContain('# TYPE warmline_pool_allocation_duration_seconds histogram');
    expect(res.text).toContain('warmline_pool_allocation_duration_seconds_count{pool="tts",tier="warm"} 1');
    expect(res.text).toContain(
      'warmline_pool_allocation_duration_seconds_bucket{le="0.0005",pool="tts",tier="warm"} 1',
    );
  });

  it('lets other modules register metrics in the app registry', async () => {
    const registry = app.get<Registry>(METRICS_REGISTRY);
    new Counter({ name: 'warmline_voice_sessions_total', help: 'test', registers: [registry] }).inc();
    expect((await scrape()).text).toContain('warmline_voice_sessions_total 1');
  });

  it('gives every application its own registry', async () => {
    const other = await createTestApp();
    try {
      app.get(PoolObserverFactory).forPool('stt');
      other.app.get(PoolObserverFactory).forPool('stt').allocated?.(AllocationTier.COLD, 200, null);
      expect((await scrape()).text).toContain(
        'warmline_pool_allocation_duration_seconds_count{pool="stt",tier="cold"} 0',
      );
      const otherText = (await request(other.app.getHttpServer()).get('/metrics').expect(200)).text;
      expect(otherText).toContain(
        'warmline_pool_allocation_duration_seconds_count{pool="stt",tier="cold"} 1',
      );
    } finally {
      await other.app.close();
    }
  });
});
