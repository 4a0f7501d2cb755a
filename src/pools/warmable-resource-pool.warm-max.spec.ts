import { AllocationTier } from './allocation-tier';
import { OnDemandResourcePool } from './on-demand-resource-pool';
import { flushPromises, type FakeClock } from '../../test/support/pools/fake-clock';
import { expectBooksBalanced, type FakeResource } from '../../test/support/pools/fake-resources';
import { poolFixture } from '../../test/support/pools/pool-fixture';

async function tick(clock: FakeClock, ms: number): Promise<void> {
  clock.advance(ms);
  await flushPromises();
}

describe('WarmableResourcePool keeps released clients warm up to warmMaxSize', () => {
  it('defaults warmMaxSize to twice the warm size, within maxSize', () => {
    expect(poolFixture({ warmPoolSize: 2 }).pool.snapshot().warmPoolMax).toBe(4);
    expect(poolFixture({ warmPoolSize: 2, maxSize: 3 }).pool.snapshot().warmPoolMax).toBe(3);
    expect(poolFixture({ warmPoolSize: 0 }).pool.snapshot().warmPoolMax).toBe(0);
  });

  it('rejects a warmMaxSize below the warm size or above maxSize, and a trimIdleMs <= 0', () => {
    expect(() => poolFixture({ warmPoolSize: 2, warmMaxSize: 1 })).toThrow(/warmMaxSize must be an integer/);
    expect(() => poolFixture({ warmPoolSize: 2, maxSize: 4, warmMaxSize: 5 })).toThrow(/warmMaxSize/);
    expect(() => poolFixture({ warmPoolSize: 2, warmMaxSize: 2.5 })).toThrow(/warmMaxSize/);
    expect(() => poolFixture({ trimIdleMs: 0 })).toThrow(/trimIdleMs must be > 0/);
    expect(() => poolFixture({ warmPoolSize: 2, warmMaxSize: 2, trimIdleMs: Infinity })).not.toThrow();
  });

  it('keeps released clients up to warmMaxSize and destroys the ones beyond it', async () => {
    const { pool, factory } = poolFixture({ warmPoolSize: 2, warmMaxSize: 3 });
    await pool.prepare();
    const held = await Promise.all([1, 2, 3, 4].map(() => pool.acquire())); // 2 WARM, 2 COLD

    for (const r of held) await pool.release(r);

    expect(held.map((r) => r.disposeCalls)).toEqual([0, 0, 0, 1]);
    const s = pool.snapshot();
    expect(s).toMatchObject({ warmPoolSize: 3, warmPoolTarget: 2, warmPoolMax: 3, inUse: 0, size: 3 });
    expect(s.metrics).toMatchObject({ resourcesCreated: 4, resourcesDestroyed: 1, resourcesTrimmed: 0 });
    expectBooksBalanced(s);
    expect(factory.calls).toBe(4);
  });

  it('under steady churn the pool stops creating: returning clients serve the next arrivals', async () => {
    const { pool, factory, clock } = poolFixture({
      warmPoolSize: 2,
      sessionAwareness: true,
      enableBackgroundWarmup: true,
      warmupIntervalMs: 1_000,
    });
    await pool.prepare();
    const tiers: AllocationTier[] = [];

    // One short session every 250 ms, each holding its client for 600 ms (up to three overlap).
    const live: { id: string; endsAt: number }[] = [];
    for (let n = 0; n < 200; n++) {
      const id = `s${n}`;
      tiers.push((await pool.acquireForSession(id)).tier);
      live.push({ id, endsAt: clock.now() + 600 });
      await tick(clock, 250);
      for (const session of live.filter((l) => l.endsAt <= clock.now())) {
        await pool.releaseForSession(session.id);
        live.splice(live.indexOf(session), 1);
      }
    }

    expect(tiers.filter((t) => t === AllocationTier.COLD)).toHaveLength(0);
    // Warm size 2 plus the replacements of the first overlap; after that every arrival takes a returned client.
    expect(factory.calls).toBeLessThanOrEqual(5);
    expect(factory.calls / tiers.length).toBeLessThanOrEqual(0.1);
    expectBooksBalanced(pool.snapshot());
  });

  it('single-use pools still destroy every released client', async () => {
    const { pool } = poolFixture({ warmPoolSize: 2, warmMaxSize: 4, reusable: false });
    await pool.prepare();
    const r = await pool.acquire();
    await pool.release(r);
    expect(r.disposeCalls).toBe(1);
    expect(pool.snapshot().warmPoolSize).toBe(1);
  });

  it('OnDemandResourcePool keeps nothing warm whatever it is given', async () => {
    const pool = new OnDemandResourcePool<{ id: number }>({
      name: 'od',
      factory: () => Promise.resolve({ id: 1 }),
      ...({ warmMaxSize: 4 } as object), // an untyped caller
    });
    expect(pool.snapshot().warmPoolMax).toBe(0);
    const r = await pool.acquire();
    await pool.release(r);
    expect(pool.snapshot()).toMatchObject({ warmPoolSize: 0, size: 0 });
  });
});

describe('WarmableResourcePool trims unused warm extras', () => {
  const trimming = (overrides = {}) =>
    poolFixture({
      warmPoolSize: 2,
      warmMaxSize: 6,
      trimIdleMs: 60_000,
      enableBackgroundWarmup: true,
      warmupIntervalMs: 30_000,
      ...overrides,
    });

  it('closes extras above the warm size once unused for trimIdleMs, longest unused first', async () => {
    const { pool, clock } = trimming();
    await pool.prepare();
    const held = await Promise.all([1, 2, 3, 4].map(() => pool.acquire()));
    await tick(clock, 0); // refill: 2 more warm
    await pool.release(held[0]);
    await pool.release(held[1]);
    await tick(clock, 10_000);
    await pool.release(held[2]);
    await pool.release(held[3]);
    expect(pool.snapshot().warmPoolSize).toBe(6);

    await pool.maintain(); // at +10 s nothing is unused for 60 s yet
    expect(pool.snapshot().metrics.resourcesTrimmed).toBe(0);

    clock.advance(50_000); // +60 s: the refill's two and held[0..1] are 60 s unused, held[2..3] only 50 s
    await pool.maintain();
    let s = pool.snapshot();
    // Four are unused for 60 s, but two of them are the warm size's reserve: two are surplus.
    expect(s.metrics.resourcesTrimmed).toBe(2);
    expect(s.warmPoolSize).toBe(4);
    expect(held.map((r) => r.disposeCalls)).toEqual([0, 0, 0, 0]); // the refill's two were unused longest
    expectBooksBalanced(s);

    clock.advance(10_000); // held[2..3] are 60 s unused too: all four are, and the warm size keeps two
    await pool.maintain();
    s = pool.snapshot();
    expect(s.metrics.resourcesTrimmed).toBe(4);
    expect(s.warmPoolSize).toBe(2);
    expect(held.filter((r) => r.disposeCalls === 1)).toHaveLength(2);

    clock.advance(60_000);
    await pool.maintain(); // never below the warm size
    s = pool.snapshot();
    expect(s.warmPoolSize).toBe(2);
    expect(s.metrics.resourcesTrimmed).toBe(4);
  });

  it('under steady churn nothing is trimmed: the clients that cycle are not surplus', async () => {
    const { pool, clock, factory } = trimming({
      sessionAwareness: true,
      trimIdleMs: 3_000,
      warmupIntervalMs: 1_000,
    });
    await pool.prepare();
    const first = await pool.acquireForSession('s0'); // one more than the warm size is needed: it cycles
    await tick(clock, 0);
    await pool.releaseForSession('s0');
    expect(first.tier).toBe(AllocationTier.WARM);
    const createdBefore = factory.calls;

    for (let n = 1; n <= 100; n++) {
      await pool.acquireForSession(`s${n}`);
      await tick(clock, 200);
      await pool.releaseForSession(`s${n}`);
      await tick(clock, 300);
    }

    const s = pool.snapshot();
    expect(s.metrics.resourcesTrimmed).toBe(0);
    expect(factory.calls).toBe(createdBefore);
    expect(s.warmPoolSize).toBe(3);
  });

  it('after a burst, extras are trimmed back to the warm size within trimIdleMs + one maintenance period', async () => {
    const { pool, clock, factory } = trimming({ sessionAwareness: true, warmMaxSize: 6 });
    await pool.prepare();
    // A burst of 10 sessions, all ending at once at t0.
    for (let n = 0; n < 10; n++) await pool.acquireForSession(`burst-${n}`);
    await tick(clock, 0);
    for (let n = 0; n < 10; n++) await pool.releaseForSession(`burst-${n}`);
    const endedAt = clock.now();
    expect(pool.snapshot().warmPoolSize).toBe(6); // warmMaxSize kept, the rest destroyed

    const sizes: number[] = [];
    let trimmedAt: number | null = null;
    while (clock.now() - endedAt <= 60_000 + 30_000) {
      await tick(clock, 1_000);
      const warm = pool.snapshot().warmPoolSize;
      sizes.push(warm);
      if (trimmedAt === null && warm === 2) trimmedAt = clock.now();
    }

    expect(trimmedAt).not.toBeNull();
    expect((trimmedAt as number) - endedAt).toBeGreaterThanOrEqual(60_000);
    expect((trimmedAt as number) - endedAt).toBeLessThanOrEqual(60_000 + 30_000);
    expect(Math.min(...sizes)).toBe(2);
    const s = pool.snapshot();
    expect(s.metrics.resourcesTrimmed).toBe(4);
    expect(s.metrics.resourcesCreated - s.metrics.resourcesDestroyed).toBe(2);
    expect(factory.alive()).toHaveLength(2);
    expectBooksBalanced(s);
  });

  it('never trims session-bound or handed-out clients, and a used extra starts its unused time again', async () => {
    const { pool, clock } = trimming({ sessionAwareness: true });
    await pool.prepare();
    const bound = await pool.acquireForSession('long-call');
    const plain = await pool.acquire();
    const extra = await pool.acquire();
    await tick(clock, 0);
    await pool.release(extra); // warm: 2 refilled + extra

    clock.advance(50_000);
    const again = await pool.acquire(); // the most recently returned: extra, used again
    expect(again).toBe(extra);
    await pool.release(again);

    clock.advance(20_000); // the refill's two are 70 s unused (the warm size's reserve), extra only 20 s
    await pool.maintain();
    expect(pool.snapshot().metrics.resourcesTrimmed).toBe(0);

    clock.advance(40_000); // now all three are unused for 60 s: one is surplus, the longest unused
    await pool.maintain();

    expect(bound.resource.disposeCalls).toBe(0);
    expect(plain.disposeCalls).toBe(0);
    expect(extra.disposeCalls).toBe(0);
    const s = pool.snapshot();
    expect(s.metrics.resourcesTrimmed).toBe(1);
    expect(s).toMatchObject({ warmPoolSize: 2, inUse: 2 });
    expectBooksBalanced(s);
  });

  it('re-warming an idle extra (maxIdleMs) does not count as use', async () => {
    const warmFn = jest.fn((_r: FakeResource) => Promise.resolve(true));
    const { pool, clock } = trimming({ warmFn, maxIdleMs: 20_000, warmupIntervalMs: 20_000 });
    await pool.prepare();
    const extra = await pool.acquire();
    await pool.acquire();
    await tick(clock, 0);
    await pool.release(extra); // three warm: one extra

    for (let n = 0; n < 3; n++) await tick(clock, 20_000); // maintenance at 20, 40 s re-warms; at 60 s it trims
    const s = pool.snapshot();
    expect(warmFn.mock.calls.length).toBeGreaterThan(3);
    expect(s.metrics.resourcesTrimmed).toBe(1);
    expect(s.warmPoolSize).toBe(2);
    expectBooksBalanced(s);
  });

  it('a warm size equal to warmMaxSize, or trimIdleMs Infinity, never trims', async () => {
    for (const overrides of [{ warmMaxSize: 2 }, { trimIdleMs: Infinity }]) {
      const { pool, clock } = trimming(overrides);
      await pool.prepare();
      const r = [await pool.acquire(), await pool.acquire(), await pool.acquire()];
      await tick(clock, 0);
      for (const x of r) await pool.release(x);
      await tick(clock, 600_000);
      expect(pool.snapshot().metrics.resourcesTrimmed).toBe(0);
    }
  });
});
