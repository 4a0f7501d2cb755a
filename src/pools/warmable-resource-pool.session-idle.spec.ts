import { AllocationTier } from './allocation-tier';
import type { CreationGate, GatedPool } from './creation-gate';
import { PoolTimeoutError } from './pool-errors';
import { flushPromises } from '../../test/support/pools/fake-clock';
import { expectBooksBalanced, type FakeResource } from '../../test/support/pools/fake-resources';
import { poolFixture, type FakePoolOptions } from '../../test/support/pools/pool-fixture';

const sessions = (overrides: FakePoolOptions = {}) => poolFixture({ sessionAwareness: true, ...overrides });

/** Shuts the pool down and checks every resource was destroyed exactly once. */
async function expectAllDestroyedOnce(
  pool: ReturnType<typeof sessions>['pool'],
  made: FakeResource[],
): Promise<void> {
  await pool.shutdown();
  expect(made.map((r) => r.disposeCalls)).toEqual(made.map(() => 1));
  expect(pool.snapshot()).toMatchObject({ size: 0, activeSessions: 0 });
}

describe('WarmableResourcePool sessionIdle()', () => {
  it('keeps the resource with its session: the next acquire is DEDICATED, the same resource', async () => {
    const { pool } = sessions({ warmPoolSize: 1 });
    await pool.prepare();
    const first = await pool.acquireForSession('s');
    await expect(pool.sessionIdle('s')).resolves.toBe(true);
    await expect(pool.sessionIdle('s')).resolves.toBe(true); // still idle, nothing changes
    expect(first.resource.clearCalls).toBe(0);
    expect(pool.snapshot()).toMatchObject({ activeSessions: 1, inUse: 1 });
    expect(await pool.acquireForSession('s')).toEqual({
      resource: first.resource,
      tier: AllocationTier.DEDICATED,
    });
  });

  it('answers false and changes nothing for an unknown session, a null id, or a session still allocating', async () => {
    const { pool, factory } = sessions();
    factory.manual = true;
    const allocating = pool.acquireForSession('s');
    await expect(pool.sessionIdle('nobody')).resolves.toBe(false);
    await expect(pool.sessionIdle(null)).resolves.toBe(false);
    await expect(pool.sessionIdle('s')).resolves.toBe(false);
    const made = factory.resolveNext();
    expect(await allocating).toEqual({ resource: made, tier: AllocationTier.COLD });
    expect(pool.snapshot()).toMatchObject({ activeSessions: 1, inUse: 1 });
    const plain = poolFixture({ warmPoolSize: 1 }).pool; // no session awareness
    await plain.acquireForSession('s');
    await expect(plain.sessionIdle('s')).resolves.toBe(false);
  });

  describe('at the cap', () => {
    /** Three sessions holding the cap's three resources; `b` then `a` stop using theirs, `c` keeps using its. */
    async function full() {
      const fixture = sessions({ maxSize: 3, warmMaxSize: 1, acquireTimeoutMs: 100 });
      const { pool, clock } = fixture;
      const [a, b, c] = [
        await pool.acquireForSession('a'),
        await pool.acquireForSession('b'),
        await pool.acquireForSession('c'),
      ];
      await pool.sessionIdle('b');
      clock.advance(10);
      await pool.sessionIdle('a');
      return { ...fixture, a, b, c };
    }

    it('an acquire that would wait reclaims idle resources at once, least recently idle first, never a busy one', async () => {
      const { pool, factory, log, clock, a, b, c } = await full();

      const first = await pool.acquireForSession(null);
      expect(first).toEqual({ resource: b.resource, tier: AllocationTier.WARM });
      expect(b.resource.clearCalls).toBe(1); // cleared (and validated) like a release
      const second = await pool.acquire({ timeoutMs: 0 }); // even an acquire that may not wait at all
      expect(second).toBe(a.resource);
      expect(log.ofKind('session-evicted')).toEqual([
        { kind: 'session-evicted', sessionId: 'b', idleMs: 10, reason: 'reclaimed' },
        { kind: 'session-evicted', sessionId: 'a', idleMs: 0, reason: 'reclaimed' },
      ]);
      expect(log.ofKind('waiter-queued')).toEqual([]); // nobody had to wait

      // Only c's resource is left, and c is using it: the next acquire waits and times out.
      const third = pool.acquire();
      expect(pool.snapshot().pendingAcquires).toBe(1);
      clock.advance(100);
      await expect(third).rejects.toBeInstanceOf(PoolTimeoutError);
      expect(c.resource.clearCalls).toBe(0);
      expect((await pool.acquireForSession('c')).tier).toBe(AllocationTier.DEDICATED);

      // The sessions that lost theirs get a WARM one next time (here: one released to the warm stack).
      await pool.release(second);
      expect(await pool.acquireForSession('a')).toEqual({ resource: a.resource, tier: AllocationTier.WARM });
      expect(pool.snapshot()).toMatchObject({
        activeSessions: 2,
        inUse: 3,
        metrics: { staleSessionsEvicted: 0 },
      });
      expectBooksBalanced(pool.snapshot());
      expect(factory.calls).toBe(3);
      await pool.release(first.resource);
      await expectAllDestroyedOnce(pool, factory.made);
    });

    it('a session going idle while someone waits hands its resource over instead of keeping it', async () => {
      const { pool, factory, log } = sessions({ maxSize: 1 });
      const own = await pool.acquireForSession('s');
      const waiting = pool.acquireForSession(null);
      expect(pool.snapshot().pendingAcquires).toBe(1);

      await expect(pool.sessionIdle('s')).resolves.toBe(false);
      expect(await waiting).toEqual({ resource: own.resource, tier: AllocationTier.WARM });
      expect(log.ofKind('session-evicted')).toEqual([
        { kind: 'session-evicted', sessionId: 's', idleMs: 0, reason: 'reclaimed' },
      ]);
      expect(pool.snapshot()).toMatchObject({ activeSessions: 0, pendingAcquires: 0, inUse: 1 });

      // The session asks again: it waits like anyone else, and gets the resource back as WARM.
      const again = pool.acquireForSession('s');
      await pool.release(own.resource);
      expect(await again).toEqual({ resource: own.resource, tier: AllocationTier.WARM });
      expectBooksBalanced(pool.snapshot());
      await expectAllDestroyedOnce(pool, factory.made);
    });

    it('a broken idle resource is replaced for the waiter (COLD), not handed over', async () => {
      const { pool, factory, a, b } = await full();
      b.resource.ready = false;
      const got = await pool.acquireForSession(null);
      expect(got.tier).toBe(AllocationTier.COLD);
      expect(b.resource.disposeCalls).toBe(1);
      expect(a.resource.clearCalls).toBe(0); // one reclaim per waiter
      expectBooksBalanced(pool.snapshot());
      await pool.release(got.resource);
      await expectAllDestroyedOnce(pool, factory.made);
    });
  });

  describe('the idle policy', () => {
    const policy = (overrides: FakePoolOptions = {}) =>
      sessions({
        warmPoolSize: 1,
        enableBackgroundWarmup: true,
        warmupIntervalMs: 1_000,
        sessionMaxAgeMs: 5_000,
        maxIdleMs: 2_000,
        ...overrides,
      });

    it('a user who never calls sessionIdle: the session loses its resource sessionMaxAgeMs after its last acquire', async () => {
      const { pool, clock, log, factory } = policy();
      await pool.prepare();
      const held = await pool.acquireForSession('s'); // WARM
      clock.advance(1_000);
      expect((await pool.acquireForSession('s')).tier).toBe(AllocationTier.DEDICATED);
      clock.advance(4_000); // past maxIdleMs, but the session never said it stopped using it
      await flushPromises();
      expect(pool.snapshot().activeSessions).toBe(1);
      clock.advance(1_000); // 5 s since its last acquire
      await flushPromises();
      expect(log.ofKind('session-evicted')).toEqual([
        { kind: 'session-evicted', sessionId: 's', idleMs: 5_000, reason: 'idle' },
      ]);
      expect(pool.snapshot()).toMatchObject({ activeSessions: 0, metrics: { staleSessionsEvicted: 1 } });
      expect(held.resource.clearCalls).toBe(1); // recycled like a release: back to the warm stack
      expect((await pool.acquireForSession('s')).tier).toBe(AllocationTier.WARM);
      expectBooksBalanced(pool.snapshot());
      await expectAllDestroyedOnce(pool, factory.made);
    });

    it('after sessionIdle: back to the warm stack after maxIdleMs unused, where it is re-warmed in the same cycle', async () => {
      const warmed: FakeResource[] = [];
      const { pool, clock, log, factory } = policy({
        warmFn: (r) => {
          warmed.push(r);
          return Promise.resolve(true);
        },
      });
      await pool.prepare();
      const held = await pool.acquireForSession('s');
      warmed.length = 0;
      clock.advance(500);
      await pool.sessionIdle('s');
      clock.advance(1_500); // maintenance at 2 s: idle for 1.5 s
      await flushPromises();
      expect(pool.snapshot().activeSessions).toBe(1);
      clock.advance(1_000); // maintenance at 3 s: idle for 2.5 s >= maxIdleMs
      await flushPromises();
      expect(log.ofKind('session-evicted')).toEqual([
        { kind: 'session-evicted', sessionId: 's', idleMs: 2_500, reason: 'idle' },
      ]);
      // Its idle time went on: the warm stack's freshness re-validated and re-warmed it at once.
      expect(warmed).toContain(held.resource);
      expect(pool.snapshot()).toMatchObject({ activeSessions: 0, inUse: 0 });
      expectBooksBalanced(pool.snapshot());
      await expectAllDestroyedOnce(pool, factory.made);
    });

    it('a session that acquires again is using its resource: maxIdleMs no longer runs, sessionMaxAgeMs restarts', async () => {
      const { pool, clock, log } = policy();
      await pool.prepare();
      await pool.acquireForSession('s');
      await pool.sessionIdle('s');
      clock.advance(1_500);
      expect((await pool.acquireForSession('s')).tier).toBe(AllocationTier.DEDICATED);
      clock.advance(5_000 - 1); // 4.999 s since that acquire, 6.499 s since it went idle
      await flushPromises();
      expect(log.ofKind('session-evicted')).toEqual([]);
      clock.advance(1_000);
      await flushPromises();
      expect(log.ofKind('session-evicted')).toHaveLength(1);
    });

    it('sessionMaxAgeMs also bounds an idle session when it comes first', async () => {
      const { pool, clock, log } = policy({ sessionMaxAgeMs: 3_000, maxIdleMs: 60_000 });
      await pool.prepare();
      await pool.acquireForSession('s');
      clock.advance(1_000);
      await pool.sessionIdle('s');
      clock.advance(2_000); // 3 s since the acquire, 2 s idle
      await flushPromises();
      expect(log.ofKind('session-evicted')).toEqual([
        { kind: 'session-evicted', sessionId: 's', idleMs: 2_000, reason: 'idle' },
      ]);
    });
  });

  describe('trimIdle()', () => {
    /** A gate that only records what the pool tells it (an unlimited budget). */
    class WatchingGate implements CreationGate {
      pool: GatedPool | null = null;
      tryTake(): boolean {
        return true;
      }
      release(): void {}
      attach(pool: GatedPool): void {
        this.pool = pool;
      }
    }

    it('closes warm resources first, then idle session resources least recently idle first, never a busy one', async () => {
      const gate = new WatchingGate();
      const { pool, clock, factory, log } = sessions({ warmPoolSize: 2, creationGate: gate });
      const busy = await pool.acquireForSession('busy'); // COLD, before the warm stack fills
      const older = await pool.acquireForSession('older');
      const newer = await pool.acquireForSession('newer');
      await pool.prepare();
      await pool.sessionIdle('older');
      clock.advance(10);
      await pool.sessionIdle('newer');
      expect(gate.pool!.idleCount()).toBe(4); // 2 warm + 2 idle sessions

      expect(gate.pool!.trimIdle(3)).toBe(3);
      expect(pool.snapshot()).toMatchObject({ warmPoolSize: 0, activeSessions: 2 });
      expect(older.resource.disposeCalls).toBe(1);
      expect(newer.resource.disposeCalls).toBe(0);
      expect(gate.pool!.trimIdle(10)).toBe(1);
      expect(newer.resource.disposeCalls).toBe(1);
      expect(busy.resource.disposeCalls).toBe(0);
      expect(log.ofKind('session-evicted').map((e) => [e.sessionId, e.reason])).toEqual([
        ['older', 'trimmed'],
        ['newer', 'trimmed'],
      ]);
      expect(pool.snapshot()).toMatchObject({
        activeSessions: 1,
        inUse: 1,
        metrics: { resourcesTrimmed: 4 },
      });
      expect((await pool.acquireForSession('newer')).tier).not.toBe(AllocationTier.DEDICATED);
      expect((await pool.acquireForSession('busy')).tier).toBe(AllocationTier.DEDICATED);
      expectBooksBalanced(pool.snapshot());
      await flushPromises();
      await expectAllDestroyedOnce(pool, factory.made);
    });
  });

  describe('joining an allocation under way', () => {
    it('a joiner that aborts leaves only its own wait; the first caller still gets the resource', async () => {
      const { pool, factory } = sessions();
      factory.manual = true;
      const first = pool.acquireForSession('s');
      const controller = new AbortController();
      const joiner = pool.acquireForSession('s', { signal: controller.signal });
      controller.abort();
      await expect(joiner).rejects.toMatchObject({ name: 'AbortError' });
      const made = factory.resolveNext();
      expect(await first).toEqual({ resource: made, tier: AllocationTier.COLD });
      expect(factory.calls).toBe(1);
      expect(pool.snapshot()).toMatchObject({
        activeSessions: 1,
        inUse: 1,
        metrics: { allocationsTotal: 1 },
      });
    });

    it('joiners share the allocation at the cap and its timeout', async () => {
      const { pool, clock } = sessions({ maxSize: 1, acquireTimeoutMs: 100 });
      const held = await pool.acquire();
      const calls = [pool.acquireForSession('s'), pool.acquireForSession('s')];
      expect(pool.snapshot().pendingAcquires).toBe(1);
      clock.advance(100);
      await expect(calls[0]).rejects.toBeInstanceOf(PoolTimeoutError);
      await expect(calls[1]).rejects.toBeInstanceOf(PoolTimeoutError);
      expect(pool.snapshot()).toMatchObject({
        activeSessions: 0,
        pendingAcquires: 0,
        metrics: { acquireTimeouts: 1 },
      });
      await pool.release(held);
    });
  });
});
