import { Registry } from 'prom-client';
import { FakePool, fakePoolRegistry } from '../../test/support/pools/fake-pool';
import { PoolSnapshotMetrics } from './pool-snapshot-metrics';

/** The value of one sample line, e.g. sample(text, 'warmline_pool_size{pool="tts"}'). */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('PoolSnapshotMetrics', () => {
  function setUp() {
    const tts = new FakePool('tts', {
      warmPoolSize: 1,
      warmPoolTarget: 3,
      size: 7,
      inUse: 5,
      activeSessions: 4,
      pendingAcquires: 2,
      factory: { consecutiveFailures: 1 },
      metrics: {
        allocationsDedicated: 120,
        allocationsWarm: 25,
        allocationsCold: 5,
        factoryFailures: 3,
        warmupFailures: 4,
        warmupCycles: 42,
        acquireTimeouts: 6,
        resourcesCreated: 9,
        resourcesDestroyed: 2,
        staleSessionsEvicted: 8,
      },
    });
    const stt = new FakePool('stt', { ready: false, maxSize: null });
    const registry = new Registry();
    new PoolSnapshotMetrics(registry, fakePoolRegistry([tts, stt]));
    return { registry, tts, stt };
  }

  it('exports gauges per pool from the snapshots', async () => {
    const { registry } = setUp();
    const text = await registry.metrics();
    expect(sample(text, 'warmline_pool_warm_size{pool="tts"}')).toBe(1);
    expect(sample(text, 'warmline_pool_warm_target{pool="tts"}')).toBe(3);
    expect(sample(text, 'warmline_pool_size{pool="tts"}')).toBe(7);
    expect(sample(text, 'warmline_pool_in_use{pool="tts"}')).toBe(5);
    expect(sample(text, 'warmline_pool_active_sessions{pool="tts"}')).toBe(4);
    expect(sample(text, 'warmline_pool_pending_acquires{pool="tts"}')).toBe(2);
    expect(sample(text, 'warmline_pool_factory_consecutive_failures{pool="tts"}')).toBe(1);
    expect(sample(text, 'warmline_pool_ready{pool="tts"}')).toBe(1);
    expect(sample(text, 'warmline_pool_ready{pool="stt"}')).toBe(0);
    expect(sample(text, 'warmline_pool_max_size{pool="tts"}')).toBe(64);
    expect(text).toContain('warmline_pool_max_size{pool="stt"} +Inf');
    expect(text).toContain('# TYPE warmline_pool_size gauge');
  });

  it('exports the pools lifetime totals as counters', async () => {
    const { registry } = setUp();
    const text = await registry.metrics();
    expect(text).toContain('# TYPE warmline_pool_allocations_total counter');
    expect(sample(text, 'warmline_pool_allocations_total{pool="tts",tier="dedicated"}')).toBe(120);
    expect(sample(text, 'warmline_pool_allocations_total{pool="tts",tier="warm"}')).toBe(25);
    expect(sample(text, 'warmline_pool_allocations_total{pool="tts",tier="cold"}')).toBe(5);
    expect(sample(text, 'warmline_pool_allocations_total{pool="stt",tier="cold"}')).toBe(0);
    expect(sample(text, 'warmline_pool_factory_failures_total{pool="tts"}')).toBe(3);
    expect(sample(text, 'warmline_pool_warmup_failures_total{pool="tts"}')).toBe(4);
    expect(sample(text, 'warmline_pool_warmup_cycles_total{pool="tts"}')).toBe(42);
    expect(sample(text, 'warmline_pool_acquire_timeouts_total{pool="tts"}')).toBe(6);
    expect(sample(text, 'warmline_pool_resources_created_total{pool="tts"}')).toBe(9);
    expect(sample(text, 'warmline_pool_resources_destroyed_total{pool="tts"}')).toBe(2);
    expect(sample(text, 'warmline_pool_stale_sessions_evicted_total{pool="tts"}')).toBe(8);
  });

  it('reads fresh values on every scrape', async () => {
    const { registry, tts } = setUp();
    await registry.metrics();
    tts.update({ inUse: 6, metrics: { allocationsCold: 11 } });
    const text = await registry.metrics();
    expect(sample(text, 'warmline_pool_in_use{pool="tts"}')).toBe(6);
    expect(sample(text, 'warmline_pool_allocations_total{pool="tts",tier="cold"}')).toBe(11);
  });

  it('takes one snapshot per pool per scrape', async () => {
    const { registry, tts } = setUp();
    const snapshot = jest.spyOn(tts, 'snapshot');
    await registry.metrics();
    expect(snapshot).toHaveBeenCalledTimes(1);
    await registry.metrics();
    expect(snapshot).toHaveBeenCalledTimes(2);
  });

  it('leaves out a pool whose snapshot throws, and still scrapes the others', async () => {
    const { registry, tts } = setUp();
    jest.spyOn(tts, 'snapshot').mockImplementation(() => {
      throw new Error('broken');
    });
    const text = await registry.metrics();
    expect(text).not.toContain('pool="tts"');
    expect(sample(text, 'warmline_pool_size{pool="stt"}')).toBe(2);
  });
});
