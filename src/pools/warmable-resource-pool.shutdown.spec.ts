import { PoolClosedError } from './pool-errors';
import { flushPromises } from '../../test/support/pools/fake-clock';
import { expectBooksBalanced } from '../../test/support/pools/fake-resources';
import { poolFixture } from '../../test/support/pools/pool-fixture';

describe('WarmableResourcePool shutdown', () => {
  it('is idempotent: a second call returns the same promise and destroys nothing twice', async () => {
    const { pool, factory } = poolFixture({ warmPoolSize: 2 });
    await pool.prepare();
    const first = pool.shutdown();
    expect(pool.shutdown()).toBe(first);
    await first;
    await pool.shutdown();
    expect(factory.made.map((r) => r.disposeCalls)).toEqual([1, 1]);
  });

  it('destroys idle and session-bound resources exactly once and stops every timer', async () => {
    const { pool, factory, clock } = poolFixture({
      warmPoolSize: 2,
      sessionAwareness: true,
      enableBackgroundWarmup: true,
      maxIdleMs: 10_000,
    });
    await pool.prepare();
    await pool.acquireForSession('a');
    await pool.acquireForSession('b');
    expect(clock.pendingTimers).toBeGreaterThan(0);

    await pool.shutdown();

    expect(clock.pendingTimers).toBe(0);
    expect(factory.made.map((r) => r.disposeCalls)).toEqual([1, 1]);
    const s = pool.snapshot();
    expect(s).toMatchObject({ ready: false, size: 0, inUse: 0, warmPoolSize: 0, activeSessions: 0 });
    expect(s.metrics).toMatchObject({ resourcesCreated: 2, resourcesDestroyed: 2 });
  });

  it('rejects waiting acquires with PoolClosedError', async () => {
    const { pool } = poolFixture({ maxSize: 1, sessionAwareness: true });
    await pool.acquire();
    const plain = pool.acquire();
    const session = pool.acquireForSession('s');

    await pool.shutdown();

    await expect(plain).rejects.toBeInstanceOf(PoolClosedError);
    await expect(session).rejects.toBeInstanceOf(PoolClosedError);
    expect(pool.snapshot().pendingAcquires).toBe(0);
  });

  it('waits for in-flight factory calls and destroys what they produce', async () => {
    const { pool, factory } = poolFixture({ warmPoolSize: 1 });
    factory.manual = true;
    void pool.prepare();
    const caller = pool.acquire();
    expect(factory.inFlight).toBe(2);

    let done = false;
    const shutdown = pool.shutdown().then(() => (done = true));
    await expect(caller).rejects.toBeInstanceOf(PoolClosedError); // rejected at once, not when the call ends
    factory.resolveNext();
    await flushPromises();
    expect(done).toBe(false);
    factory.resolveNext();
    await shutdown;

    expect(factory.made.map((r) => r.disposeCalls)).toEqual([1, 1]);
    expect(pool.snapshot().metrics).toMatchObject({ resourcesCreated: 2, resourcesDestroyed: 2 });
  });

  it('waits for async destroys to settle', async () => {
    let finish: () => void = () => undefined;
    const { pool } = poolFixture({
      warmPoolSize: 1,
      destroy: () => new Promise<void>((resolve) => (finish = resolve)),
    });
    await pool.prepare();
    let done = false;
    const shutdown = pool.shutdown().then(() => (done = true));
    await flushPromises();
    expect(done).toBe(false);
    finish();
    await shutdown;
    expect(done).toBe(true);
  });

  it('destroys resources released after shutdown; releaseForSession after shutdown destroys nothing twice', async () => {
    const { pool } = poolFixture({ warmPoolSize: 2, sessionAwareness: true });
    await pool.prepare();
    const plain = await pool.acquire();
    const session = await pool.acquireForSession('s');

    await pool.shutdown();
    expect(plain.disposeCalls).toBe(0); // still in its user's hands
    expect(session.resource.disposeCalls).toBe(1);
    expectBooksBalanced(pool.snapshot());

    await pool.release(plain);
    await expect(pool.releaseForSession('s', session.resource)).resolves.toBe(false);

    expect(plain.disposeCalls).toBe(1);
    expect(plain.clearCalls).toBe(0);
    expect(session.resource.disposeCalls).toBe(1);
    const s = pool.snapshot();
    expect(s.metrics.resourcesCreated - s.metrics.resourcesDestroyed).toBe(0);
  });

  it('after shutdown every acquire and prepare rejects with PoolClosedError', async () => {
    const { pool, factory } = poolFixture({ warmPoolSize: 1, sessionAwareness: true });
    await pool.shutdown();
    await expect(pool.acquire()).rejects.toBeInstanceOf(PoolClosedError);
    await expect(pool.acquireForSession('s')).rejects.toBeInstanceOf(PoolClosedError);
    await expect(pool.acquireForSession(null)).rejects.toBeInstanceOf(PoolClosedError);
    await expect(pool.prepare()).rejects.toBeInstanceOf(PoolClosedError);
    await pool.maintain();
    expect(factory.calls).toBe(0);
  });

  it('a resource being warmed or re-validated during shutdown is destroyed when that finishes', async () => {
    let finishWarm: (ok: boolean) => void = () => undefined;
    const { pool, factory } = poolFixture({
      warmPoolSize: 1,
      warmFn: () => new Promise<boolean>((resolve) => (finishWarm = resolve)),
    });
    void pool.prepare();
    await flushPromises();
    expect(pool.snapshot().warmPoolSize).toBe(1); // counted while warming

    const shutdown = pool.shutdown();
    expect(factory.made[0].disposeCalls).toBe(0);
    finishWarm(true);
    await shutdown;
    expect(factory.made[0].disposeCalls).toBe(1);
  });
});
