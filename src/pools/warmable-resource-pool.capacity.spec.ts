import { AllocationTier } from './allocation-tier';
import { PoolTimeoutError } from './pool-errors';
import { flushPromises } from '../../test/support/pools/fake-clock';
import { expectBooksBalanced } from '../../test/support/pools/fake-resources';
import { poolFixture } from '../../test/support/pools/pool-fixture';

/** Records how a promise settled without awaiting it. */
function track<V>(promise: Promise<V>) {
  const state: { value?: V; error?: unknown; settled: boolean } = { settled: false };
  promise.then(
    (value) => Object.assign(state, { value, settled: true }),
    (error: unknown) => Object.assign(state, { error, settled: true }),
  );
  return state;
}

describe('WarmableResourcePool capacity, waiting and factory failures', () => {
  it('maxSize caps live resources, counting factory calls still in flight', async () => {
    const { pool, factory } = poolFixture({ maxSize: 2 });
    factory.manual = true;

    const a = track(pool.acquire());
    const b = track(pool.acquire());
    const c = track(pool.acquire());
    await flushPromises();

    expect(factory.calls).toBe(2);
    expect(pool.snapshot()).toMatchObject({ size: 2, inUse: 0, pendingAcquires: 1 });
    factory.resolveNext();
    factory.resolveNext();
    await flushPromises();
    expect([a.settled, b.settled, c.settled]).toEqual([true, true, false]);
    expect(factory.calls).toBe(2);
    expect(pool.snapshot()).toMatchObject({ size: 2, inUse: 2, pendingAcquires: 1 });
  });

  it('serves waiters in FIFO order with released resources, reported as WARM', async () => {
    const { pool, factory } = poolFixture({ maxSize: 1, sessionAwareness: true });
    const held = await pool.acquire();
    const order: string[] = [];
    const first = pool.acquireForSession(null).then((a) => (order.push('first'), a));
    const second = pool.acquire().then((r) => (order.push('second'), r));
    expect(pool.snapshot().pendingAcquires).toBe(2);

    await pool.release(held);
    const got = await first;
    expect(got).toEqual({ resource: held, tier: AllocationTier.WARM });
    await pool.release(got.resource);
    expect(await second).toBe(held);

    expect(order).toEqual(['first', 'second']);
    expect(factory.calls).toBe(1);
    expect(held.disposeCalls).toBe(0);
    expect(held.clearCalls).toBe(2);
  });

  it('a waiter is served even when the warm stack is already at its target', async () => {
    const { pool } = poolFixture({ warmPoolSize: 1, maxSize: 2 });
    await pool.prepare();
    const a = await pool.acquire();
    const b = await pool.acquire(); // COLD; pool at cap, warm stack empty (refill not yet run)
    const waiting = pool.acquire();

    await pool.release(b);

    expect(await waiting).toBe(b);
    expect(b.disposeCalls).toBe(0);
    expect(a.disposeCalls).toBe(0);
  });

  it('rejects with PoolTimeoutError after acquireTimeoutMs at the cap, and counts it', async () => {
    const { pool, clock, log } = poolFixture({ maxSize: 1, acquireTimeoutMs: 500 });
    await pool.acquire();
    const waiting = track(pool.acquire());

    clock.advance(499);
    await flushPromises();
    expect(waiting.settled).toBe(false);
    clock.advance(1);
    await flushPromises();

    expect(waiting.error).toBeInstanceOf(PoolTimeoutError);
    expect((waiting.error as PoolTimeoutError).timeoutMs).toBe(500);
    const s = pool.snapshot();
    expect(s.pendingAcquires).toBe(0);
    expect(s.metrics.acquireTimeouts).toBe(1);
    expect(log.ofKind('acquire-timeout')).toEqual([{ kind: 'acquire-timeout', waitedMs: 500 }]);
  });

  it('honours a per-call timeoutMs, and 0 means "do not wait"', async () => {
    const { pool, clock } = poolFixture({ maxSize: 1, acquireTimeoutMs: 5_000 });
    await pool.acquire();

    await expect(pool.acquire({ timeoutMs: 0 })).rejects.toBeInstanceOf(PoolTimeoutError);
    const short = track(pool.acquire({ timeoutMs: 20 }));
    clock.advance(20);
    await flushPromises();
    expect(short.error).toBeInstanceOf(PoolTimeoutError);
    expect(pool.snapshot().metrics.acquireTimeouts).toBe(2);
    expect(clock.pendingTimers).toBe(0);
  });

  it('a timed-out waiter does not receive a resource released later; the next waiter does', async () => {
    const { pool, clock } = poolFixture({ maxSize: 1 });
    const held = await pool.acquire();
    const early = track(pool.acquire({ timeoutMs: 10 }));
    const late = track(pool.acquire({ timeoutMs: 1_000 }));
    clock.advance(10);
    await flushPromises();

    await pool.release(held);
    await flushPromises();

    expect(early.error).toBeInstanceOf(PoolTimeoutError);
    expect(late.value).toBe(held);
  });

  it('an AbortSignal cancels a wait cleanly', async () => {
    const { pool, clock } = poolFixture({ maxSize: 1 });
    const held = await pool.acquire();
    const controller = new AbortController();
    const aborted = track(pool.acquire({ signal: controller.signal }));
    const next = track(pool.acquire());

    controller.abort(new Error('client left'));
    await flushPromises();
    expect((aborted.error as Error).message).toBe('client left');
    expect(pool.snapshot().pendingAcquires).toBe(1);
    expect(clock.pendingTimers).toBe(1); // only the remaining waiter's timeout

    await pool.release(held);
    await flushPromises();
    expect(next.value).toBe(held);
    expect(pool.snapshot().metrics.acquireTimeouts).toBe(0);
  });

  it('an already aborted signal rejects without taking a resource', async () => {
    const { pool } = poolFixture({ warmPoolSize: 1 });
    await pool.prepare();
    const controller = new AbortController();
    controller.abort();

    await expect(pool.acquire({ signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
    await expect(pool.acquireForSession('s', { signal: controller.signal })).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(pool.snapshot()).toMatchObject({ warmPoolSize: 1, inUse: 0 });
  });

  it('aborting during a COLD creation rejects the caller; the resource goes to the warm stack, not the garbage collector', async () => {
    const { pool, factory } = poolFixture({ warmPoolSize: 1 });
    factory.manual = true;
    const controller = new AbortController();
    const caller = track(pool.acquire({ signal: controller.signal }));

    controller.abort();
    await flushPromises();
    expect(caller.error).toMatchObject({ name: 'AbortError' });
    const made = factory.resolveNext();
    await flushPromises();

    expect(pool.snapshot()).toMatchObject({ warmPoolSize: 1, inUse: 0, size: 1 });
    expect(await pool.acquire()).toBe(made);
  });

  it('thousands of aborted waiters are skipped in O(1) each and the first live waiter is served', async () => {
    const { pool } = poolFixture({ maxSize: 1, acquireTimeoutMs: Infinity });
    const held = await pool.acquire();
    const controllers = Array.from({ length: 2_000 }, () => new AbortController());
    const dead = controllers.map((c) => pool.acquire({ signal: c.signal }).catch(() => 'aborted'));
    const live = pool.acquire();
    controllers.forEach((c) => c.abort());
    expect(pool.snapshot().pendingAcquires).toBe(1);

    await pool.release(held);

    expect(await live).toBe(held);
    expect(new Set(await Promise.all(dead))).toEqual(new Set(['aborted']));
  });

  it('a failed factory call rejects only its caller, frees its slot and counts the failure', async () => {
    const { pool, factory } = poolFixture({ maxSize: 2 });
    factory.manual = true;
    const a = track(pool.acquire());
    const b = track(pool.acquire());

    factory.rejectNext(new Error('429 throttled'));
    const made = factory.resolveNext();
    await flushPromises();

    expect((a.error as Error).message).toBe('429 throttled');
    expect(b.value).toBe(made);
    const s = pool.snapshot();
    expect(s).toMatchObject({ size: 1, inUse: 1 });
    expect(s.metrics.factoryFailures).toBe(1);
    expect(s.factory).toEqual({ consecutiveFailures: 0, backoffRemainingMs: 0, lastError: null }); // b succeeded
    expectBooksBalanced(s);
  });

  it('a factory that throws synchronously is handled like a rejection', async () => {
    const { pool } = poolFixture({
      factory: () => {
        throw new Error('bad config');
      },
    });
    await expect(pool.acquire()).rejects.toThrow('bad config');
    expect(pool.snapshot()).toMatchObject({ size: 0, metrics: { factoryFailures: 1 } });
  });

  it('a waiter at the cap gets a factory call of its own when a creation fails (not stranded)', async () => {
    const { pool, factory } = poolFixture({ maxSize: 1 });
    factory.manual = true;
    const first = track(pool.acquire());
    const waiter = track(pool.acquire());
    expect(pool.snapshot().pendingAcquires).toBe(1);

    factory.rejectNext();
    await flushPromises();
    expect(first.error).toBeInstanceOf(Error);
    expect(waiter.settled).toBe(false);
    expect(factory.calls).toBe(2);

    const made = factory.resolveNext();
    await flushPromises();
    expect(waiter.value).toBe(made);
    expect(pool.snapshot().metrics.allocationsCold).toBe(1);
  });

  it('a resource destroyed at release (invalid) frees its slot for a waiter, which gets a COLD one', async () => {
    const { pool, factory } = poolFixture({ maxSize: 1, sessionAwareness: true });
    const held = await pool.acquire();
    const waiter = pool.acquireForSession(null);
    held.ready = false;

    await pool.release(held);

    expect(held.disposeCalls).toBe(1);
    expect(await waiter).toEqual({ resource: factory.made[1], tier: AllocationTier.COLD });
  });

  it('a factory returning a resource that is already live is a failure, not a second copy', async () => {
    const shared = { id: 1 };
    const { pool } = poolFixture({ factory: () => Promise.resolve(shared as never) });
    const first = await pool.acquire();
    await expect(pool.acquire()).rejects.toThrow(/already in the pool/);
    expect(first).toBe(shared);
    expect(pool.snapshot()).toMatchObject({ size: 1, inUse: 1, metrics: { resourcesCreated: 1 } });
  });

  it('rejects a negative per-call timeout without losing the warm resource it popped', async () => {
    const { pool } = poolFixture({ warmPoolSize: 1, validate: () => Promise.resolve(true) });
    await pool.prepare();
    await expect(pool.acquire({ timeoutMs: -1 })).rejects.toBeInstanceOf(TypeError);
    expect(pool.snapshot()).toMatchObject({ warmPoolSize: 1, inUse: 0 });
  });
});
