import { Registry } from 'prom-client';
import { createRootLogger } from '../logging/root-logger';
import { AllocationTier } from '../pools/allocation-tier';
import { AllocationLatencyMetric } from './allocation-latency.metric';
import { PoolObserverFactory } from './pool-observer.factory';

describe('PoolObserverFactory', () => {
  function setUp() {
    const registry = new Registry();
    const lines: Array<Record<string, unknown>> = [];
    const logger = createRootLogger('debug', {
      write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>),
    });
    const factory = new PoolObserverFactory(new AllocationLatencyMetric(registry), logger);
    return { registry, lines, factory };
  }

  it('records allocation latency in seconds by pool and tier', async () => {
    const { registry, factory } = setUp();
    const observer = factory.forPool('tts');
    observer.allocated?.(AllocationTier.WARM, 0.2, 's1');
    observer.allocated?.(AllocationTier.COLD, 180, null);
    const text = await registry.metrics();
    const series = (s: string) =>
      text
        .split('\n')
        .find((l) => l.startsWith(`${s} `))
        ?.split(' ')[1];
    expect(series('warmline_pool_allocation_duration_seconds_count{pool="tts",tier="warm"}')).toBe('1');
    expect(
      series('warmline_pool_allocation_duration_seconds_bucket{le="0.00025",pool="tts",tier="warm"}'),
    ).toBe('1');
    expect(
      series('warmline_pool_allocation_duration_seconds_bucket{le="0.0001",pool="tts",tier="warm"}'),
    ).toBe('0');
    expect(series('warmline_pool_allocation_duration_seconds_sum{pool="tts",tier="cold"}')).toBe('0.18');
    expect(series('warmline_pool_allocation_duration_seconds_bucket{le="0.1",pool="tts",tier="cold"}')).toBe(
      '0',
    );
    expect(series('warmline_pool_allocation_duration_seconds_bucket{le="0.25",pool="tts",tier="cold"}')).toBe(
      '1',
    );
    // Every tier's series exists from the start.
    expect(series('warmline_pool_allocation_duration_seconds_count{pool="tts",tier="dedicated"}')).toBe('0');
  });

  it('logs allocations and events through the root logger', () => {
    const { lines, factory } = setUp();
    const observer = factory.forPool('stt');
    observer.allocated?.(AllocationTier.DEDICATED, 0.05, 'abc');
    observer.event?.({ kind: 'acquire-timeout', waitedMs: 5000 });
    expect(lines).toEqual([
      expect.objectContaining({ level: 'debug', context: 'Pools', pool: 'stt', tier: 'dedicated' }),
      expect.objectContaining({ level: 'warn', context: 'Pools', pool: 'stt', event: 'acquire-timeout' }),
    ]);
  });

  it('drops impossible measurements instead of throwing', async () => {
    const { registry, factory } = setUp();
    const observer = factory.forPool('tts');
    expect(() => observer.allocated?.(AllocationTier.WARM, Number.NaN, null)).not.toThrow();
    expect(() => observer.allocated?.(AllocationTier.WARM, -1, null)).not.toThrow();
    expect(await registry.metrics()).toContain(
      'warmline_pool_allocation_duration_seconds_count{pool="tts",tier="warm"} 0',
    );
  });
});
