import type { PoolSnapshot } from '../../pools/pool-snapshot';
import { poolSnapshot } from '../../../test/support/pools/fake-pool';
import { DashboardFeed } from './dashboard-feed';
import type { DashboardFleet } from './dashboard-frame';

function snapshot(name: string, dedicated: number, warm: number, cold: number): PoolSnapshot {
  const total = dedicated + warm + cold;
  return poolSnapshot(name, {
    metrics: {
      allocationsTotal: total,
      allocationsDedicated: dedicated,
      allocationsWarm: warm,
      allocationsCold: cold,
      hitRate: total === 0 ? null : (dedicated + warm) / total,
    },
  });
}

const histogram = (...counts: number[]) => ({ upperBounds: [0.005, 0.01, 0.025, Infinity], counts });

describe('DashboardFeed', () => {
  const options = { intervalMs: 1_000, historyMs: 5_000, latencyWindowMs: 2_000 };

  it('turns the tier counters into allocations per second since the previous refresh', () => {
    const feed = new DashboardFeed(options);
    const first = feed.tick(10_000, { tts: snapshot('tts', 5, 3, 1) }, null);
    expect(first.point.allocations.tts).toEqual({ dedicated: 0, warm: 0, cold: 0 });
    const second = feed.tick(12_000, { tts: snapshot('tts', 9, 5, 1) }, null);
    expect(second.point.allocations.tts).toEqual({ dedicated: 2, warm: 1, cold: 0 });
  });

  it('reports no allocations for an interval in which the counters went back', () => {
    const feed = new DashboardFeed(options);
    feed.tick(0, { tts: snapshot('tts', 5, 5, 5) }, null);
    expect(feed.tick(1_000, { tts: snapshot('tts', 1, 0, 0) }, null).point.allocations.tts).toEqual({
      dedicated: 0,
      warm: 0,
      cold: 0,
    });
  });

  it('passes the snapshots on as they are', () => {
    const feed = new DashboardFeed(options);
    const pools = { tts: snapshot('tts', 1, 0, 0), stt: snapshot('stt', 0, 1, 0) };
    expect(feed.tick(0, pools, null).pools).toBe(pools);
    expect(feed.current?.pools).toBe(pools);
  });

  it('carries the fleet view in the frame (and the frame a new viewer gets) only when given one', () => {
    const feed = new DashboardFeed(options);
    expect(feed.tick(0, {}, null)).not.toHaveProperty('fleet');
    const fleet: DashboardFleet = {
      replicas: [{ id: 'a', ready: true, lastSeenMs: 0, sessions: 1, pools: {} }],
      budget: { tts: { max: 6, leased: 2 }, stt: { max: null, leased: 0 } },
      redis: 'ok',
    };
    expect(feed.tick(1_000, {}, null, fleet).fleet).toBe(fleet);
    expect(feed.current?.fleet).toBe(fleet);
  });

  it('keeps the history for the configured span, oldest first', () => {
    const feed = new DashboardFeed(options);
    for (let t = 0; t <= 9_000; t += 1_000) feed.tick(t, { tts: snapshot('tts', 0, 0, 0) }, null);
    const history = feed.history();
    expect(history.points.map((p) => p.at)).toEqual([5_000, 6_000, 7_000, 8_000, 9_000]);
    expect(history).toMatchObject({ intervalMs: 1_000, historyMs: 5_000, latencyWindowMs: 2_000 });
  });

  it('gives first-byte percentiles in ms over the latency window, null without observations', () => {
    const feed = new DashboardFeed(options);
    const pools = { tts: snapshot('tts', 0, 0, 0) };
    expect(feed.tick(0, pools, histogram(0, 0, 0, 0)).point.firstByteMs).toBeNull();
    const q = feed.tick(1_000, pools, histogram(0, 10, 10, 10)).point.firstByteMs;
    expect(q).toEqual({ p50: 7.5, p95: 9.75, p99: 9.95, count: 10 });
    feed.tick(2_000, pools, histogram(0, 10, 10, 10));
    // Two refreshes later the observations have left the 2 s window.
    expect(feed.tick(3_000, pools, histogram(0, 10, 10, 10)).point.firstByteMs).toBeNull();
  });

  it('has no latency without a first-byte histogram', () => {
    const feed = new DashboardFeed(options);
    feed.tick(0, {}, null);
    expect(feed.tick(1_000, {}, null).point.firstByteMs).toBeNull();
  });
});
