import { AllocationTier } from './allocation-tier';
import { flushPromises, type FakeClock } from '../../test/support/pools/fake-clock';
import { expectBooksBalanced, type FakeResource } from '../../test/support/pools/fake-resources';
import { poolFixture } from '../../test/support/pools/pool-fixture';

/** Advances the fake clock and lets the promise callbacks it triggered run. */
async function tick(clock: FakeClock, ms: number): Promise<void> {
  clock.advance(ms);
  await flushPromises();
}

describe('WarmableResourcePool refill, backoff and maintenance', () => {
  describe('refill after a warm pull', () => {
    it('starts topping the warm stack up right away, without waiting for the periodic task', async () => {
      const { pool, factory, clock } = poolFixture({
        warmPoolSize: 2,
        enableBackgroundWarmup: true,
        warmupIntervalMs: 30_000,
      });
      await pool.prepare();

      await pool.acquire();
      await pool.acquire();
      await tick(clock, 0);

      expect(factory.calls).toBe(4);
      expect(pool.snapshot()).toMatchObject({ warmPoolSize: 2, inUse: 2, size: 4 });
      expect(pool.snapshot().metrics.warmupCycles).toBe(0);
    });

    it("waits refillDelayMs after the pull, so the replacement is not created during the acquirer's request", async () => {
      const { pool, factory, clock } = poolFixture({
        warmPoolSize: 2,
        enableBackgroundWarmup: true,
        refillDelayMs: 25,
      });
      await pool.prepare();
      expect(factory.calls).toBe(2);

      await pool.acquire();
      await tick(clock, 0);
      await tick(clock, 24);
      expect(factory.calls).toBe(2);
      await tick(clock, 1);
      expect(factory.calls).toBe(3);
      expect(pool.snapshot()).toMatchObject({ warmPoolSize: 2, inUse: 1 });
    });

    it('is coalesced: never more creations in flight than the target minus the idle resources', async () => {
      const { pool, factory, clock } = poolFixture({ warmPoolSize: 3, enableBackgroundWarmup: true });
      await pool.prepare();
      factory.manual = true;

      await pool.acquire();
      await tick(clock, 0);
      expect(factory.inFlight).toBe(1);
      await pool.acquire();
      await pool.acquire();
      await tick(clock, 0);
      expect(factory.inFlight).toBe(3);
      await pool.maintain(); // the periodic task must not add to them
      await tick(clock, 0);
      expect(factory.inFlight).toBe(3);

      for (let i = 0; i < 3; i++) factory.resolveNext();
      await flushPromises();
      expect(pool.snapshot()).toMatchObject({ warmPoolSize: 3, inUse: 3, size: 6 });
    });

    it('never refills beyond maxSize', async () => {
      const { pool, factory, clock } = poolFixture({ warmPoolSize: 2, maxSize: 3 });
      await pool.prepare();
      await pool.acquire();
      await pool.acquire();
      await tick(clock, 0);

      expect(factory.calls).toBe(3);
      expect(pool.snapshot()).toMatchObject({ size: 3, warmPoolSize: 1 });
    });

    it('does not create anything when the resource comes back in the same tick', async () => {
      const { pool, factory, clock } = poolFixture({ warmPoolSize: 2 });
      await pool.prepare();
      await pool.release(await pool.acquire());
      await tick(clock, 0);
      expect(factory.calls).toBe(2);
      expect(pool.snapshot().metrics.resourcesDestroyed).toBe(0);
    });
  });

  describe('factory backoff', () => {
    it('backs off exponentially (1 s doubling to 60 s) while the factory keeps failing, then recovers', async () => {
      const { pool, factory, clock, log } = poolFixture({ warmPoolSize: 1, enableBackgroundWarmup: true });
      factory.failing = true;
      await pool.prepare();
      expect(factory.calls).toBe(1);
      expect(pool.snapshot()).toMatchObject({
        ready: false,
        factory: { consecutiveFailures: 1, backoffRemainingMs: 1_000, lastError: 'factory down (call 1)' },
      });

      await tick(clock, 999);
      expect(factory.calls).toBe(1); // no hammering inside the backoff
      const expectedDelays = [2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000];
      await tick(clock, 1);
      for (const delay of expectedDelays) {
        expect(pool.snapshot().factory.backoffRemainingMs).toBe(delay);
        await tick(clock, delay);
      }
      expect(factory.calls).toBe(1 + 1 + expectedDelays.length);
      expect(log.ofKind('factory-failed').map((e) => e.backoffMs)).toEqual([
        1_000,
        ...expectedDelays,
        60_000,
      ]);
      expect(pool.snapshot()).toMatchObject({ ready: false, metrics: { factoryFailures: 9 } });

      factory.failing = false;
      await tick(clock, 60_000);

      expect(log.ofKind('factory-recovered')).toEqual([{ kind: 'factory-recovered', afterFailures: 9 }]);
      expect(pool.snapshot()).toMatchObject({
        ready: true,
        warmPoolSize: 1,
        factory: { consecutiveFailures: 0, backoffRemainingMs: 0, lastError: null },
      });
    });

    it('the maintenance task does not call the factory during a backoff either', async () => {
      const { pool, factory, clock } = poolFixture({
        warmPoolSize: 2,
        enableBackgroundWarmup: true,
        warmupIntervalMs: 100,
      });
      factory.failNext(2);
      await pool.prepare();
      expect(pool.snapshot().factory.backoffRemainingMs).toBe(2_000);

      await tick(clock, 1_900); // 19 maintenance cycles
      await pool.maintain();
      expect(factory.calls).toBe(2);
      expect(pool.snapshot().metrics.warmupCycles).toBe(20);

      await tick(clock, 100);
      expect(factory.calls).toBe(3); // the single probe at the end of the backoff
    });

    it('sends a single probe per backoff step even when several resources are missing', async () => {
      const { pool, factory, clock } = poolFixture({ warmPoolSize: 4 });
      factory.failing = true;
      await pool.prepare(); // first fill: 4 calls, all fail
      const afterFill = factory.calls;
      const backoff = pool.snapshot().factory.backoffRemainingMs;

      await tick(clock, backoff);
      expect(factory.calls).toBe(afterFill + 1);
    });

    it('a foreground success ends the backoff and refills at once', async () => {
      const { pool, factory, clock } = poolFixture({ warmPoolSize: 2 });
      factory.failing = true;
      await pool.prepare();
      expect(pool.snapshot().factory.backoffRemainingMs).toBe(2_000);

      factory.failing = false;
      expect((await pool.acquireForSession(null)).tier).toBe(AllocationTier.COLD); // callers still try
      await tick(clock, 0);

      expect(pool.snapshot()).toMatchObject({ ready: true, warmPoolSize: 2 });
    });

    it('applies injectable jitter to the delay', async () => {
      const { pool, factory } = poolFixture({
        warmPoolSize: 1,
        factoryBackoff: { initialMs: 1_000, jitter: 0.2, random: () => 0.5 },
      });
      factory.failing = true;
      await pool.prepare();
      expect(pool.snapshot().factory.backoffRemainingMs).toBe(900);
    });
  });

  describe('periodic maintenance', () => {
    it('runs every warmupIntervalMs and counts each cycle', async () => {
      const { pool, clock } = poolFixture({
        warmPoolSize: 1,
        enableBackgroundWarmup: true,
        warmupIntervalMs: 500,
      });
      await pool.prepare();
      await tick(clock, 499);
      expect(pool.snapshot().metrics.warmupCycles).toBe(0);
      await tick(clock, 1);
      await tick(clock, 1_000);
      expect(pool.snapshot().metrics.warmupCycles).toBe(3);
    });

    it('does not run without enableBackgroundWarmup', async () => {
      const { pool, clock } = poolFixture({ warmPoolSize: 1 });
      await pool.prepare();
      await tick(clock, 1_000_000);
      expect(pool.snapshot().metrics.warmupCycles).toBe(0);
      expect(clock.pendingTimers).toBe(0);
    });

    it('repairs the warm stack: replaces resources lost while it was full', async () => {
      const { pool, factory, clock } = poolFixture({
        warmPoolSize: 2,
        enableBackgroundWarmup: true,
        warmupIntervalMs: 1_000,
      });
      await pool.prepare();
      factory.made.forEach((r) => (r.ready = false));
      const got = await pool.acquire(); // both warm ones invalid: destroyed, COLD
      expect(pool.snapshot().metrics.allocationsCold).toBe(1);
      await tick(clock, 0);
      expect(pool.snapshot().warmPoolSize).toBe(2);
      expect(got).toBe(factory.made[2]);
    });

    it('re-validates and re-warms resources idle for maxIdleMs, leaving fresher ones alone', async () => {
      const warmFn = jest.fn((_resource: FakeResource) => Promise.resolve(true));
      const { pool, factory, clock } = poolFixture({
        warmPoolSize: 2,
        warmFn,
        enableBackgroundWarmup: true,
        warmupIntervalMs: 1_000,
        maxIdleMs: 2_500,
      });
      await pool.prepare(); // two warm-ups
      await tick(clock, 2_000);
      const r = await pool.acquire();
      await pool.release(r); // idle clock restarts for r
      await tick(clock, 1_000); // cycle at t=3000: only the other one is stale

      const other = factory.made.find((x) => x !== r);
      expect(warmFn.mock.calls.map(([x]) => x)).toEqual([...factory.made, other]);
      expect(pool.snapshot()).toMatchObject({ warmPoolSize: 2, metrics: { resourcesDestroyed: 0 } });
    });

    it('replaces an idle resource that fails validation or re-warming', async () => {
      let warmOk = true;
      const { pool, factory, clock, log } = poolFixture({
        warmPoolSize: 2,
        warmFn: () => Promise.resolve(warmOk),
        enableBackgroundWarmup: true,
        warmupIntervalMs: 1_000,
        maxIdleMs: 1_000,
      });
      await pool.prepare();
      const [invalid, stale] = factory.made;
      invalid.ready = false;
      warmOk = false;

      await tick(clock, 1_000);
      warmOk = true;
      await tick(clock, 0);

      expect([invalid.disposeCalls, stale.disposeCalls]).toEqual([1, 1]);
      expect(
        log
          .ofKind('resource-replaced')
          .map((e) => e.reason)
          .sort(),
      ).toEqual(['idle', 'invalid']);
      const s = pool.snapshot();
      expect(s.warmPoolSize).toBe(2);
      expect(s.metrics).toMatchObject({ resourcesCreated: 4, resourcesDestroyed: 2, warmupFailures: 1 });
      expectBooksBalanced(s);
    });

    it('a resource being refreshed is not handed out, and counts as idle in the books', async () => {
      const gate: { hold: boolean; finish?: (ok: boolean) => void } = { hold: false };
      const { pool, clock } = poolFixture({
        warmPoolSize: 1,
        warmFn: (): Promise<boolean> =>
          gate.hold ? new Promise((resolve) => (gate.finish = resolve)) : Promise.resolve(true),
        enableBackgroundWarmup: true,
        warmupIntervalMs: 1_000,
        maxIdleMs: 1_000,
      });
      await pool.prepare();
      gate.hold = true;
      await tick(clock, 1_000);
      expect(gate.finish).toBeDefined();

      expect(pool.snapshot()).toMatchObject({ warmPoolSize: 1, inUse: 0 });
      expectBooksBalanced(pool.snapshot());
      const cold = await pool.acquireForSession(null);
      expect(cold.tier).toBe(AllocationTier.COLD);
      gate.finish?.(true);
      await flushPromises();
      expect(pool.snapshot()).toMatchObject({ warmPoolSize: 1, inUse: 1 });
    });
  });
});
