import { DROPPED_DEFAULT_METRICS, createMetricsRegistry } from './metrics-registry';

describe('createMetricsRegistry', () => {
  it('keeps the default process metrics but no gauge named like a counter', async () => {
    const registry = createMetricsRegistry();
    const metrics = await registry.getMetricsAsJSON();
    const names = metrics.map((m) => m.name);
    expect(names).toEqual(expect.arrayContaining(['process_cpu_seconds_total', 'nodejs_active_handles']));
    for (const name of DROPPED_DEFAULT_METRICS) expect(names).not.toContain(name);
    // prom-client declares `type` as a numeric enum but reports the exposition name ('counter') at run time.
    const misnamed = metrics.filter((m) => String(m.type) !== 'counter' && m.name.endsWith('_total'));
    expect(misnamed.map((m) => m.name)).toEqual([]);
  });
});
