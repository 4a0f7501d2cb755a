import type { CreationGate, CreationPurpose, GatedPool } from './creation-gate';
import { PoolTimeoutError } from './pool-errors';
import { flushPromises } from '../../test/support/pools/fake-clock';
import { expectBooksBalanced } from '../../test/support/pools/fake-resources';
import { poolFixture } from '../../test/support/pools/pool-fixture';

/** A budget of `capacity` takes, answering synchronously or (`async`) on the next microtask. */
class CountingGate implements CreationGate {
  taken = 0;
  takes: CreationPurpose[] = [];
  releases = 0;
  pool: GatedPool | null = null;

  constructor(
    public capacity: number,
    private readonly async = false,
  ) {}

  tryTake(purpose: CreationPurpose): boolean | Promise<boolean> {
    this.takes.push(purpose);
    const answer = (): boolean => {
      if (this.taken >= this.capacity) return false;
      this.taken++;
      return true;
    };
    return this.async ? Promise.resolve().then(answer) : answer();
  }

  release(): void {
    this.releases++;
    this.taken--;
  }

  attach(pool: GatedPool): void {
    this.pool = pool;
  }

  /** Resources to close as they come back: their budget moves elsewhere (the capacity shrinks with each). */
  owed = 0;

  reclaim(): boolean {
    if (this.owed === 0) return false;
    this.owed--;
    this.capacity--;
    return true;
  }

  /** More budget became available (elsewhere): let the pool retry. */
  grow(by: number): void {
    this.capacity += by;
    this.pool!.wake();
  }
}

describe.each([
  ['synchronous', false],
  ['asynchronous', true],
])('WarmableResourcePool with a %s creation gate', (_kind, async) => {
  it('takes before every creation and gives back once per destroyed resource', async () => {
    const gate = new CountingGate(10, async);
    const { pool } = poolFixture({ creationGate: gate, warmPoolSize: 2, maxSize: 5, reusable: false });
    await pool.prepare();
    expect(gate.takes).toEqual(['refill', 'refill']);
    const cold = [await pool.acquire(), await pool.acquire(), await pool.acquire()];
    await flushPromises();
    expect(gate.takes.filter((p) => p === 'acquire')).toHaveLength(1);
    for (const resource of cold) await pool.release(resource);
    await flushPromises();
    await pool.shutdown();
    const { resourcesCreated, resourcesDestroyed } = pool.snapshot().metrics;
    expect(resourcesCreated).toBe(resourcesDestroyed);
    expect(gate.taken).toBe(0);
    expect(gate.releases).toBe(resourcesDestroyed);
  });

  it('never asks the gate for a WARM or DEDICATED hand-out', async () => {
    const gate = new CountingGate(10, async);
    const { pool } = poolFixture({ creationGate: gate, warmPoolSize: 2, sessionAwareness: true });
    await pool.prepare();
    const before = gate.takes.length;
    const first = await pool.acquireForSession('s1');
    const again = await pool.acquireForSession('s1');
    expect([first.tier, again.tier]).toEqual(['warm', 'dedicated']);
    const plain = await pool.acquire();
    await pool.release(plain);
    expect(gate.takes.slice(before).filter((p) => p === 'acquire')).toEqual([]);
  });

  it('queues acquires the gate refuses, FIFO, and serves them when it lets them through', async () => {
    const gate = new CountingGate(1, async);
    const { pool } = poolFixture({ creationGate: gate, maxSize: 10 });
    await pool.prepare();
    const holder = await pool.acquire();
    const served: number[] = [];
    const waiting = [1, 2, 3].map((n) => pool.acquire().then(() => served.push(n)));
    await flushPromises();
    expect(pool.snapshot().pendingAcquires).toBe(3);
    expect(pool.snapshot().size).toBe(1); // a refused creation holds no place

    gate.grow(1);
    await flushPromises();
    expect(served).toEqual([1]);
    gate.grow(2);
    await Promise.all(waiting);
    expect(served).toEqual([1, 2, 3]);
    await pool.release(holder);
    expectBooksBalanced(pool.snapshot());
  });

  it('times a refused acquire out like one at the cap, and abort works the same', async () => {
    const gate = new CountingGate(0, async);
    const { pool, clock } = poolFixture({ creationGate: gate, acquireTimeoutMs: 1_000 });
    await pool.prepare();
    const timedOut = pool.acquire();
    const controller = new AbortController();
    const aborted = pool.acquire({ signal: controller.signal });
    await flushPromises();
    controller.abort(new Error('caller left'));
    await expect(aborted).rejects.toThrow('caller left');
    clock.advance(999);
    await flushPromises();
    expect(pool.snapshot().pendingAcquires).toBe(1);
    clock.advance(1);
    await expect(timedOut).rejects.toBeInstanceOf(PoolTimeoutError);
    expect(pool.snapshot().pendingAcquires).toBe(0);
    expect(gate.taken).toBe(0);
  });

  it('puts a waiter the gate sent back at the head of the queue again', async () => {
    const gate = new CountingGate(2, async);
    const { pool, clock } = poolFixture({
      creationGate: gate,
      maxSize: 2,
      reusable: false,
      acquireTimeoutMs: 1_000,
    });
    await pool.prepare();
    const holder = await pool.acquire();
    await pool.acquire();
    const outcome: string[] = [];
    const first = pool.acquire().then(
      () => outcome.push('first served'),
      () => outcome.push('first timed out'),
    );
    clock.advance(600);
    const second = pool.acquire().then(
      () => outcome.push('second served'),
      () => outcome.push('second timed out'),
    );
    await flushPromises();

    gate.capacity = 1; // the budget shrank meanwhile (another process took what this release frees)
    await pool.release(holder); // single use: destroyed, capacity frees, the first waiter is sent back
    await flushPromises();
    expect(pool.snapshot().pendingAcquires).toBe(2);

    gate.grow(1);
    await flushPromises();
    expect(outcome).toEqual(['first served']);

    await pool.shutdown().catch(() => undefined);
    await Promise.all([first, second]);
  });

  it('counts the timeout of a waiter the gate sent back from its arrival, not from its return', async () => {
    const gate = new CountingGate(1, async);
    const { pool, clock } = poolFixture({
      creationGate: gate,
      maxSize: 1,
      reusable: false,
      acquireTimeoutMs: 1_000,
    });
    await pool.prepare();
    const holder = await pool.acquire();
    const waiter = pool.acquire();
    clock.advance(600);
    gate.capacity = 0;
    await pool.release(holder);
    await flushPromises();
    clock.advance(399);
    await flushPromises();
    expect(pool.snapshot().pendingAcquires).toBe(1);
    clock.advance(1);
    await expect(waiter).rejects.toBeInstanceOf(PoolTimeoutError);
  });

  it('serves waiters the gate sent back in their order of arrival', async () => {
    const gate = new CountingGate(3, async);
    const { pool } = poolFixture({ creationGate: gate, maxSize: 3, reusable: false });
    await pool.prepare();
    const holders = [await pool.acquire(), await pool.acquire(), await pool.acquire()];
    const served: number[] = [];
    const waiting = [1, 2, 3].map((n) => pool.acquire().then(() => served.push(n)));
    await flushPromises();
    gate.capacity = 0;
    for (const holder of holders) await pool.release(holder); // all three waiters are tried and sent back
    await flushPromises();
    expect(pool.snapshot().pendingAcquires).toBe(3);
    gate.grow(3);
    await Promise.all(waiting);
    expect(served).toEqual([1, 2, 3]);
  });

  it('skips a refused refill and fills the warm stack once the gate allows', async () => {
    const gate = new CountingGate(1, async);
    const { pool } = poolFixture({ creationGate: gate, warmPoolSize: 3, maxSize: 10 });
    await pool.prepare();
    expect(pool.snapshot().warmPoolSize).toBe(1);
    gate.capacity = 3;
    await pool.maintain();
    expect(pool.snapshot().warmPoolSize).toBe(3);
    expect(pool.snapshot().metrics.factoryFailures).toBe(0);
  });

  it('gives the take back when the factory fails', async () => {
    const gate = new CountingGate(5, async);
    const { pool, factory } = poolFixture({ creationGate: gate });
    await pool.prepare();
    factory.failNext();
    await expect(pool.acquire()).rejects.toThrow('factory down');
    expect(gate.taken).toBe(0);
  });

  it('closes idle warm clients on request (trimIdle), never session-bound or handed-out ones', async () => {
    const gate = new CountingGate(10, async);
    const { pool } = poolFixture({ creationGate: gate, warmPoolSize: 3, sessionAwareness: true });
    await pool.prepare();
    await pool.acquireForSession('s1');
    const out = await pool.acquire();
    await flushPromises();
    const idle = pool.snapshot().warmPoolSize;
    expect(gate.pool!.idleCount()).toBe(idle);
    expect(gate.pool!.trimIdle(100)).toBe(idle);
    await flushPromises();
    expect(pool.snapshot()).toMatchObject({ warmPoolSize: 0, inUse: 2 });
    expect(gate.taken).toBe(2);
    await pool.release(out);
  });

  it('closes a returned resource whose budget the gate reclaims, before its own waiters or the warm stack get it', async () => {
    const gate = new CountingGate(2, async);
    const { pool } = poolFixture({ creationGate: gate, warmPoolSize: 0, maxSize: 5 });
    await pool.prepare();
    const [first, second] = [await pool.acquire(), await pool.acquire()];
    const waiting = pool.acquire(); // at the gate's capacity: waits
    await flushPromises();
    gate.owed = 1;
    await pool.release(first); // reclaimed: closed, the waiter keeps waiting
    await flushPromises();
    expect(gate.releases).toBe(1);
    expect(pool.snapshot()).toMatchObject({ size: 1, pendingAcquires: 1 });
    await pool.release(second); // nothing owed: straight to the waiter
    await expect(waiting).resolves.toBe(second);
    await pool.release(second);
    expectBooksBalanced(pool.snapshot());
    await pool.shutdown();
    expect(gate.taken).toBe(0);
  });
});
