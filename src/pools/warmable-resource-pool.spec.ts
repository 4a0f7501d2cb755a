import { AllocationTier } from './allocation-tier';
import { systemClock } from './clock';
import type { PoolObserver } from './pool-observer';
import { flushPromises } from '../../test/support/pools/fake-clock';
import { expectBooksBalanced, FakeResource } from '../../test/support/pools/fake-resources';
import { poolFixture } from '../../test/support/pools/pool-fixture';
import { WarmableResourcePool } from './warmable-resource-pool';

describe('WarmableResourcePool basics', () => {
  it('prepare() pre-warms the warm stack to its target and reports ready', async () => {
    const warmFn = jest.fn((_resource: FakeResource) => Promise.resolve(true));
    const { pool, factory } = poolFixture({ warmPoolSize: 3, warmFn });
    expect(pool.snapshot().ready).toBe(false);

    await pool.prepare();

    expect(factory.calls).toBe(3);
    expect(warmFn).toHaveBeenCalledTimes(3);
    expect(warmFn.mock.calls.map(([r]) => r)).toEqual(factory.made);
    const s = pool.snapshot();
    expect(s).toMatchObject({ ready: true, warmPoolSize: 3, warmPoolTarget: 3, size: 3, inUse: 0 });
    expect(s.metrics.resourcesCreated).toBe(3);
    expectBooksBalanced(s);
  });

  it('prepare() is idempotent: the same promise, no second fill', async () => {
    const { pool, factory } = poolFixture({ warmPoolSize: 2 });
    const first = pool.prepare();
    expect(pool.prepare()).toBe(first);
    await first;
    await pool.prepare();
    expect(factory.calls).toBe(2);
  });

  it('a warm-up that returns false or throws is counted, and the resource is still used', async () => {
    let call = 0;
    const warmFn = jest.fn(() => {
      call++;
      if (call === 1) return Promise.resolve(false);
      if (call === 2) return Promise.reject(new Error('no audio'));
      return Promise.resolve(true);
    });
    const { pool, log } = poolFixture({ warmPoolSize: 3, warmFn });
    await pool.prepare();

    const s = pool.snapshot();
    expect(s.metrics.warmupFailures).toBe(2);
    expect(s.warmPoolSize).toBe(3);
    expect(s.metrics.resourcesDestroyed).toBe(0);
    expect(log.ofKind('warmup-failed').map((e) => (e.error as Error).message)).toEqual([
      'warmFn returned false',
      'no audio',
    ]);
  });

  it('acquire() takes a warm resource (WARM) and falls back to the factory (COLD) when the warm stack is empty', async () => {
    const { pool, factory } = poolFixture({ warmPoolSize: 1 });
    await pool.prepare();

    const warm = await pool.acquire();
    expect(warm).toBe(factory.made[0]);
    const cold = await pool.acquire();
    expect(cold).toBe(factory.made[1]);
    expect(factory.calls).toBe(2);

    const m = pool.snapshot().metrics;
    expect([m.allocationsTotal, m.allocationsWarm, m.allocationsCold, m.allocationsDedicated]).toEqual([
      2, 1, 1, 0,
    ]);
    expect(m.hitRate).toBe(0.5);
  });

  it('release() clears session state and returns the resource to the warm stack', async () => {
    const { pool, factory } = poolFixture({ warmPoolSize: 1 });
    await pool.prepare();
    const r = await pool.acquire();

    await pool.release(r);

    expect(r.clearCalls).toBe(1);
    expect(r.disposeCalls).toBe(0);
    expect(pool.snapshot()).toMatchObject({ warmPoolSize: 1, inUse: 0 });
    expect(await pool.acquire()).toBe(r);
    expect(factory.calls).toBe(1);
  });

  it('release() over warmMaxSize destroys the resource exactly once', async () => {
    const { pool } = poolFixture({ warmPoolSize: 1, warmMaxSize: 1 });
    await pool.prepare();
    const a = await pool.acquire();
    const b = await pool.acquire(); // COLD

    await pool.release(a); // warm stack back to 1
    await pool.release(b); // over warmMaxSize

    expect(a.disposeCalls).toBe(0);
    expect(b.disposeCalls).toBe(1);
    const s = pool.snapshot();
    expect(s).toMatchObject({ warmPoolSize: 1, inUse: 0, size: 1 });
    expect(s.metrics.resourcesDestroyed).toBe(1);
    expectBooksBalanced(s);
  });

  it('release() of null, a foreign resource, or the same resource twice does nothing', async () => {
    const { pool } = poolFixture({ warmPoolSize: 2 });
    await pool.prepare();
    const r = await pool.acquire();

    await pool.release(null);
    await pool.release(undefined);
    await pool.release(new FakeResource(99));
    await pool.release(r);
    await pool.release(r);

    expect(r.clearCalls).toBe(1);
    expect(pool.snapshot().warmPoolSize).toBe(2);
    // Had r been queued twice, two acquires would return it twice.
    const [x, y] = [await pool.acquire(), await pool.acquire()];
    expect(x).not.toBe(y);
  });

  it('a warm resource failing validate() at acquire is destroyed once and the next one is tried', async () => {
    const { pool, factory, log } = poolFixture({ warmPoolSize: 2 });
    await pool.prepare();
    const [first, second] = factory.made;
    second.ready = false; // a stack: second is on top

    const got = await pool.acquire();

    expect(got).toBe(first);
    expect(second.disposeCalls).toBe(1);
    expect(log.ofKind('resource-replaced')).toEqual([{ kind: 'resource-replaced', reason: 'invalid' }]);
    const s = pool.snapshot();
    expect(s.metrics.allocationsWarm).toBe(1);
    expect(s.metrics.resourcesDestroyed).toBe(1);
    expectBooksBalanced(s);
  });

  it('when every warm resource is invalid the acquire is served by the factory (COLD)', async () => {
    const { pool, factory } = poolFixture({ warmPoolSize: 2, sessionAwareness: true });
    await pool.prepare();
    factory.made.forEach((r) => (r.ready = false));

    const got = await pool.acquireForSession('s1');

    expect(got).toEqual({ resource: factory.made[2], tier: AllocationTier.COLD });
    expect(factory.made.slice(0, 2).map((r) => r.disposeCalls)).toEqual([1, 1]);
  });

  it('supports an async validate(), and treats a throwing or rejecting one as invalid', async () => {
    const verdicts = new Map<number, () => boolean | Promise<boolean>>();
    const { pool, factory } = poolFixture({
      warmPoolSize: 3,
      validate: (r) => (verdicts.get(r.id) ?? (() => true))(),
    });
    await pool.prepare();
    verdicts.set(3, () => Promise.reject(new Error('probe failed')));
    verdicts.set(2, () => {
      throw new Error('boom');
    });
    verdicts.set(1, () => Promise.resolve(true));

    const got = await pool.acquire();

    expect(got).toBe(factory.made[0]);
    expect(factory.made.map((r) => r.disposeCalls)).toEqual([0, 1, 1]);
    expect(pool.snapshot().inUse).toBe(1);
    expectBooksBalanced(pool.snapshot());
  });

  it('a resource whose clearSessionState() throws is destroyed instead of queued', async () => {
    const { pool, log } = poolFixture({ warmPoolSize: 1 });
    const r = await pool.acquire();
    r.clearSessionState = () => {
      throw new Error('stuck turn');
    };
    await pool.release(r);
    expect(r.disposeCalls).toBe(1);
    expect(pool.snapshot()).toMatchObject({ warmPoolSize: 0, size: 0 });
    expect(log.ofKind('resource-replaced')).toEqual([{ kind: 'resource-replaced', reason: 'invalid' }]);
  });

  it('waits for an async clearSessionState() and an async validate() before keeping a released resource warm', async () => {
    const verdict = { valid: true };
    const { pool } = poolFixture({ warmPoolSize: 2, validate: () => Promise.resolve(verdict.valid) });
    const kept = await pool.acquire();
    const dropped = await pool.acquire();
    let cleared = false;
    // The pool also accepts a clearSessionState() that answers with a promise.
    Object.defineProperty(kept, 'clearSessionState', {
      value: () => Promise.resolve().then(() => void (cleared = true)),
    });

    const releasing = pool.release(kept);
    expect(pool.snapshot()).toMatchObject({ warmPoolSize: 1, inUse: 1 }); // counted as idle while checked
    await releasing;
    expect(cleared).toBe(true);
    verdict.valid = false;
    await pool.release(dropped);

    expect([kept.disposeCalls, dropped.disposeCalls]).toEqual([0, 1]);
    expect(pool.snapshot()).toMatchObject({ warmPoolSize: 1, inUse: 0, size: 1 });
  });

  it('single-use resources (reusable: false) are destroyed on release and replaced in the background', async () => {
    const { pool, factory, clock } = poolFixture({ warmPoolSize: 2, reusable: false });
    await pool.prepare();
    const r = await pool.acquire();
    clock.advance(0);
    await flushPromises();
    expect(factory.calls).toBe(3); // refill after the warm pull

    await pool.release(r);

    expect(r.disposeCalls).toBe(1);
    expect(r.clearCalls).toBe(0);
    expect(pool.snapshot()).toMatchObject({ warmPoolSize: 2, inUse: 0, size: 2 });
  });

  it('uses the destroy hook instead of the default, and counts a throwing destroy as destroyed, once', async () => {
    const destroy = jest.fn((r: FakeResource) => {
      if (r.id === 2) throw new Error('socket already gone');
    });
    const { pool, log } = poolFixture({ warmPoolSize: 0, destroy });
    const a = await pool.acquire();
    const b = await pool.acquire();

    await pool.release(a);
    await pool.release(b);
    await pool.shutdown();

    expect(destroy.mock.calls.map(([r]) => r)).toEqual([a, b]);
    expect(a.disposeCalls + b.disposeCalls).toBe(0);
    expect(pool.snapshot().metrics.resourcesDestroyed).toBe(2);
    expect(log.ofKind('destroy-failed').map((e) => (e.error as Error).message)).toEqual([
      'socket already gone',
    ]);
  });

  it('counts a rejecting async destroy as destroyed and reports it', async () => {
    const destroy = jest.fn(() => Promise.reject(new Error('close timed out')));
    const { pool, log } = poolFixture({ destroy });
    await pool.release(await pool.acquire());
    await flushPromises();

    expect(destroy).toHaveBeenCalledTimes(1);
    expect(pool.snapshot().metrics.resourcesDestroyed).toBe(1);
    expect(log.ofKind('destroy-failed')).toHaveLength(1);
  });

  it('the default destroy calls dispose() when present, otherwise close(), never both', async () => {
    let n = 0;
    const both = { dispose: jest.fn(), close: jest.fn() };
    const closeOnly = { close: jest.fn() };
    const pool = new WarmableResourcePool<object>({
      name: 'x',
      factory: () => Promise.resolve(n++ === 0 ? both : closeOnly),
    });
    await pool.release(await pool.acquire());
    await pool.release(await pool.acquire());

    expect(both.dispose).toHaveBeenCalledTimes(1);
    expect(both.close).not.toHaveBeenCalled();
    expect(closeOnly.close).toHaveBeenCalledTimes(1);
  });

  it('snapshot() reports every field', async () => {
    const { pool, clock } = poolFixture({
      warmPoolSize: 2,
      maxSize: 5,
      sessionAwareness: true,
      enableBackgroundWarmup: true,
    });
    await pool.prepare();
    await pool.acquireForSession('a'); // WARM
    await pool.acquireForSession('a'); // DEDICATED
    await pool.acquire(); // WARM
    await pool.acquire(); // COLD (refill not run yet)

    expect(pool.snapshot()).toEqual({
      name: 'tts',
      ready: true,
      warmPoolSize: 0,
      warmPoolTarget: 2,
      warmPoolMax: 4,
      maxSize: 5,
      size: 3,
      inUse: 3,
      pendingAcquires: 0,
      sessionAwareness: true,
      activeSessions: 1,
      backgroundWarmup: true,
      factory: { consecutiveFailures: 0, backoffRemainingMs: 0, lastError: null },
      metrics: {
        allocationsTotal: 4,
        allocationsDedicated: 1,
        allocationsWarm: 2,
        allocationsCold: 1,
        hitRate: 0.75,
        warmupCycles: 0,
        warmupFailures: 0,
        factoryFailures: 0,
        resourcesCreated: 3,
        resourcesDestroyed: 0,
        resourcesTrimmed: 0,
        staleSessionsEvicted: 0,
        acquireTimeouts: 0,
        timestamp: clock.now(),
      },
    });
  });

  it('an uncapped pool reports maxSize null, and hitRate null before any allocation', () => {
    const { pool } = poolFixture();
    const s = pool.snapshot();
    expect(s.maxSize).toBeNull();
    expect(s.metrics.hitRate).toBeNull();
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
  });

  it('tells the observer the tier, latency and session of every allocation (synchronous hand-overs: exactly 0)', async () => {
    const allocated = jest.fn();
    const { pool, clock, factory } = poolFixture({
      warmPoolSize: 1,
      sessionAwareness: true,
      observer: { allocated },
    });
    await pool.prepare();
    factory.manual = true;

    await pool.acquireForSession('s');
    await pool.acquireForSession('s');
    const cold = pool.acquire();
    clock.advance(40);
    factory.resolveNext();
    await cold;

    expect(allocated.mock.calls).toEqual([
      [AllocationTier.WARM, 0, 's'],
      [AllocationTier.DEDICATED, 0, 's'],
      [AllocationTier.COLD, 40, null],
    ]);
  });

  it('a throwing observer does not break allocation or release', async () => {
    const observer: PoolObserver = {
      allocated: () => {
        throw new Error('metrics broke');
      },
      event: () => {
        throw new Error('logger broke');
      },
    };
    const { pool, factory } = poolFixture({ observer, warmPoolSize: 1 });
    factory.failNext();
    await pool.prepare(); // factory-failed event throws inside the observer
    const r = await pool.acquire();
    await expect(pool.release(r)).resolves.toBeUndefined();
    expect(pool.snapshot().metrics.allocationsTotal).toBe(1);
  });

  it('rejects nonsense options with one TypeError naming each problem', () => {
    const factory = () => Promise.resolve({});
    expect(() => new WarmableResourcePool({ name: 'p', factory, warmPoolSize: -1 })).toThrow(
      /warmPoolSize must be an integer >= 0/,
    );
    expect(() => new WarmableResourcePool({ name: 'p', factory, warmPoolSize: 3, maxSize: 2 })).toThrow(
      /warmPoolSize \(3\) must not exceed maxSize \(2\)/,
    );
    expect(() => new WarmableResourcePool({ name: 'p', factory, maxSize: 0 })).toThrow(TypeError);
    expect(() => new WarmableResourcePool({ name: 'p', factory, maxSize: 1.5 })).toThrow(/maxSize/);
    expect(() => new WarmableResourcePool({ name: 'p', factory, refillDelayMs: -1 })).toThrow(
      /refillDelayMs/,
    );
    expect(() => new WarmableResourcePool({ name: '', factory })).toThrow(/name must be a non-empty string/);
    const error = (() => {
      try {
        new WarmableResourcePool({
          name: 'p',
          factory,
          warmupIntervalMs: 0,
          acquireTimeoutMs: -5,
          sessionMaxAgeMs: NaN,
          maxIdleMs: -1,
        });
      } catch (e) {
        return e as Error;
      }
      throw new Error('constructor accepted bad options');
    })();
    expect(error).toBeInstanceOf(TypeError);
    for (const option of ['warmupIntervalMs', 'acquireTimeoutMs', 'sessionMaxAgeMs', 'maxIdleMs']) {
      expect(error.message).toContain(option);
    }
  });

  it('accepts undefined for every optional option (config passed straight through)', () => {
    const pool = new WarmableResourcePool({
      name: 'p',
      factory: () => Promise.resolve({}),
      warmPoolSize: undefined,
      maxSize: undefined,
      acquireTimeoutMs: undefined,
      observer: undefined,
    });
    expect(pool.snapshot()).toMatchObject({ warmPoolTarget: 0, maxSize: null, sessionAwareness: false });
  });

  it('the system clock unrefs its timers so a pool never keeps the process alive', () => {
    const timer = systemClock.setTimeout(() => undefined, 60_000) as NodeJS.Timeout;
    expect(timer.hasRef()).toBe(false);
    systemClock.clearTimeout(timer);
  });
});
