import { AllocationTier } from './allocation-tier';
import { PoolSessionReleasedError, PoolTimeoutError } from './pool-errors';
import { flushPromises } from '../../test/support/pools/fake-clock';
import { expectBooksBalanced } from '../../test/support/pools/fake-resources';
import { poolFixture, type FakePoolOptions } from '../../test/support/pools/pool-fixture';

const sessions = (overrides: FakePoolOptions = {}) =>
  poolFixture({ sessionAwareness: true, warmPoolSize: 2, ...overrides });

describe('WarmableResourcePool sessions', () => {
  it('the first acquireForSession takes a warm resource, the next ones get the same resource as DEDICATED', async () => {
    const { pool } = sessions();
    await pool.prepare();

    const first = await pool.acquireForSession('s1');
    const second = await pool.acquireForSession('s1');
    const third = await pool.acquireForSession('s1');

    expect(first.tier).toBe(AllocationTier.WARM);
    expect([second.tier, third.tier]).toEqual([AllocationTier.DEDICATED, AllocationTier.DEDICATED]);
    expect(second.resource).toBe(first.resource);
    expect(third.resource).toBe(first.resource);
    const s = pool.snapshot();
    expect(s).toMatchObject({ activeSessions: 1, inUse: 1, warmPoolSize: 1 });
    expect(s.metrics).toMatchObject({ allocationsTotal: 3, allocationsDedicated: 2, allocationsWarm: 1 });
  });

  it('a session that already holds its resource in use gets that same resource again (its own cached client)', async () => {
    // Documented choice: no second resource per session; the voice gateway serialises requests per session.
    const { pool } = sessions();
    await pool.prepare();
    const inUse = await pool.acquireForSession('s1');
    // ... still in use, not released ...
    const again = await pool.acquireForSession('s1');
    expect(again).toEqual({ resource: inUse.resource, tier: AllocationTier.DEDICATED });
    expect(pool.snapshot().inUse).toBe(1);
  });

  it('isolates sessions from each other', async () => {
    const { pool } = sessions();
    await pool.prepare();
    const a = await pool.acquireForSession('a');
    const b = await pool.acquireForSession('b');
    const c = await pool.acquireForSession('c');

    expect(new Set([a.resource, b.resource, c.resource]).size).toBe(3);
    expect([a.tier, b.tier, c.tier]).toEqual([AllocationTier.WARM, AllocationTier.WARM, AllocationTier.COLD]);
    expect((await pool.acquireForSession('b')).resource).toBe(b.resource);
    expect(pool.snapshot().activeSessions).toBe(3);
  });

  it('concurrent acquireForSession calls for a new session share one factory call', async () => {
    const { pool, factory } = sessions({ warmPoolSize: 0 });
    factory.manual = true;
    const calls = [
      pool.acquireForSession('new'),
      pool.acquireForSession('new'),
      pool.acquireForSession('new'),
    ];
    expect(factory.calls).toBe(1);

    const made = factory.resolveNext();
    const results = await Promise.all(calls);

    expect(results.map((r) => r.resource)).toEqual([made, made, made]);
    expect(results.map((r) => r.tier)).toEqual([
      AllocationTier.COLD,
      AllocationTier.DEDICATED,
      AllocationTier.DEDICATED,
    ]);
    expect(pool.snapshot()).toMatchObject({ size: 1, inUse: 1, activeSessions: 1 });
  });

  it('concurrent calls for a new session at the cap share one wait, served by a release as WARM', async () => {
    const { pool, factory } = sessions({ warmPoolSize: 0, maxSize: 1 });
    const held = await pool.acquire();
    const calls = [pool.acquireForSession('s'), pool.acquireForSession('s')];
    expect(pool.snapshot().pendingAcquires).toBe(1);

    await pool.release(held);
    const [first, second] = await Promise.all(calls);

    expect(first).toEqual({ resource: held, tier: AllocationTier.WARM });
    expect(second).toEqual({ resource: held, tier: AllocationTier.DEDICATED });
    expect(factory.calls).toBe(1);
  });

  it('when the shared allocation fails, every caller for that session gets the error and nothing is cached', async () => {
    const { pool, factory } = sessions({ warmPoolSize: 0 });
    factory.manual = true;
    const calls = [pool.acquireForSession('s'), pool.acquireForSession('s')];

    factory.rejectNext(new Error('upstream 503'));

    await expect(calls[0]).rejects.toThrow('upstream 503');
    await expect(calls[1]).rejects.toThrow('upstream 503');
    expect(pool.snapshot()).toMatchObject({ activeSessions: 0, size: 0 });
    factory.manual = false;
    expect((await pool.acquireForSession('s')).tier).toBe(AllocationTier.COLD);
  });

  it('when the first caller aborts, a caller that joined it asks again instead of sharing that abort', async () => {
    const { pool, factory } = sessions({ warmPoolSize: 1 });
    factory.manual = true;
    const controller = new AbortController();
    const quitter = pool.acquireForSession('s', { signal: controller.signal });
    const stayer = pool.acquireForSession('s');

    controller.abort();
    await expect(quitter).rejects.toMatchObject({ name: 'AbortError' });
    expect(factory.calls).toBe(2); // the stayer's own allocation
    const late = factory.resolveNext(); // the abandoned call's resource goes to the warm stack
    const made = factory.resolveNext();

    expect(await stayer).toEqual({ resource: made, tier: AllocationTier.COLD });
    expect(await pool.acquireForSession('s')).toEqual({ resource: made, tier: AllocationTier.DEDICATED });
    expect(await pool.acquire()).toBe(late);
    expect(pool.snapshot()).toMatchObject({ activeSessions: 1, inUse: 2 });
    expectBooksBalanced(pool.snapshot());
  });

  it('when every caller aborts, the session is forgotten and the late resource goes back to the pool', async () => {
    const { pool, factory } = sessions({ warmPoolSize: 1 });
    factory.manual = true;
    const controller = new AbortController();
    const quitter = pool.acquireForSession('s', { signal: controller.signal });
    controller.abort();
    await expect(quitter).rejects.toMatchObject({ name: 'AbortError' });
    expect(pool.snapshot().activeSessions).toBe(0);

    const made = factory.resolveNext();
    await flushPromises();

    expect(pool.snapshot()).toMatchObject({ warmPoolSize: 1, inUse: 0, activeSessions: 0 });
    factory.manual = false;
    expect(await pool.acquireForSession('s')).toEqual({ resource: made, tier: AllocationTier.WARM });
  });

  it('a session waiting at the cap times out like a plain acquire and is forgotten', async () => {
    const { pool, clock } = sessions({ warmPoolSize: 0, maxSize: 1, acquireTimeoutMs: 100 });
    await pool.acquire();
    const waiting = pool.acquireForSession('s');
    clock.advance(100);
    await expect(waiting).rejects.toBeInstanceOf(PoolTimeoutError);
    expect(pool.snapshot()).toMatchObject({ activeSessions: 0, pendingAcquires: 0 });
  });

  it('releaseForSession clears session state and returns the resource to the warm stack', async () => {
    const { pool, factory } = sessions({ warmPoolSize: 1 });
    await pool.prepare();
    const { resource } = await pool.acquireForSession('s'); // the refill timer has not run: warm stack below target

    await expect(pool.releaseForSession('s')).resolves.toBe(true);

    expect(resource.clearCalls).toBe(1);
    expect(resource.disposeCalls).toBe(0);
    expect(pool.snapshot()).toMatchObject({ warmPoolSize: 1, inUse: 0, activeSessions: 0 });
    expect(await pool.acquire()).toBe(resource); // recycled, not discarded
    expect(factory.calls).toBe(1);
  });

  it('releaseForSession destroys the resource (once) when the warm stack is at warmMaxSize', async () => {
    const { pool } = sessions({ warmPoolSize: 1, warmMaxSize: 1 });
    const { resource } = await pool.acquireForSession('s'); // COLD
    await pool.prepare(); // warm stack full

    await expect(pool.releaseForSession('s', resource)).resolves.toBe(true);

    expect(resource.disposeCalls).toBe(1);
    const s = pool.snapshot();
    expect(s).toMatchObject({ warmPoolSize: 1, inUse: 0, size: 1 });
    expectBooksBalanced(s);
  });

  it('releaseForSession destroys an invalid or single-use resource instead of keeping it warm', async () => {
    const invalid = sessions({ warmPoolSize: 2 });
    const a = await invalid.pool.acquireForSession('s');
    a.resource.ready = false;
    await invalid.pool.releaseForSession('s');
    expect(a.resource.disposeCalls).toBe(1);
    expect(invalid.pool.snapshot().warmPoolSize).toBe(0);

    const singleUse = sessions({ warmPoolSize: 2, reusable: false });
    const b = await singleUse.pool.acquireForSession('s');
    await singleUse.pool.releaseForSession('s');
    expect(b.resource.disposeCalls).toBe(1);
  });

  it('releaseForSession of an unknown session resolves false and touches nothing', async () => {
    const { pool } = sessions();
    await pool.prepare();
    await expect(pool.releaseForSession('nobody')).resolves.toBe(false);
    expect(pool.snapshot()).toMatchObject({ warmPoolSize: 2, metrics: { resourcesDestroyed: 0 } });
  });

  it('releaseForSession while the session is still acquiring cancels that acquire', async () => {
    const { pool, factory } = sessions({ warmPoolSize: 1 });
    factory.manual = true;
    const acquiring = pool.acquireForSession('s');

    await expect(pool.releaseForSession('s')).resolves.toBe(false);
    await expect(acquiring).rejects.toBeInstanceOf(PoolSessionReleasedError);

    const made = factory.resolveNext();
    await flushPromises();
    expect(pool.snapshot()).toMatchObject({ warmPoolSize: 1, activeSessions: 0, inUse: 0 });
    expect(made.disposeCalls).toBe(0);
  });

  it('a null session id behaves like plain acquire/release (WARM/COLD, never cached)', async () => {
    const { pool } = sessions({ warmPoolSize: 1 });
    await pool.prepare();

    const a = await pool.acquireForSession(null);
    const b = await pool.acquireForSession(null);
    expect([a.tier, b.tier]).toEqual([AllocationTier.WARM, AllocationTier.COLD]);
    expect(a.resource).not.toBe(b.resource);
    expect(pool.snapshot().activeSessions).toBe(0);

    await expect(pool.releaseForSession(null, a.resource)).resolves.toBe(true);
    await expect(pool.releaseForSession(null, a.resource)).resolves.toBe(false); // already released
    await expect(pool.releaseForSession(null)).resolves.toBe(false);
    expect(a.resource.clearCalls).toBe(1);
    expect(pool.snapshot().inUse).toBe(1);
  });

  it('without session awareness acquireForSession never caches', async () => {
    const { pool } = poolFixture({ warmPoolSize: 2 });
    await pool.prepare();
    const a = await pool.acquireForSession('s');
    const b = await pool.acquireForSession('s');
    expect(a.resource).not.toBe(b.resource);
    expect([a.tier, b.tier]).toEqual([AllocationTier.WARM, AllocationTier.WARM]);
    expect(pool.snapshot()).toMatchObject({ activeSessions: 0, metrics: { allocationsDedicated: 0 } });
    await expect(pool.releaseForSession('s', a.resource)).resolves.toBe(true);
  });

  it('release() of a session-bound resource leaves it with its session (use releaseForSession)', async () => {
    const { pool } = sessions();
    await pool.prepare();
    const { resource } = await pool.acquireForSession('s');
    await pool.release(resource);
    expect(resource.clearCalls).toBe(0);
    expect(await pool.acquireForSession('s')).toEqual({ resource, tier: AllocationTier.DEDICATED });
  });

  it('releaseForSession also releases a plain resource passed along with an unknown session', async () => {
    const { pool } = sessions({ warmPoolSize: 1 });
    const r = await pool.acquire();
    await expect(pool.releaseForSession('gone', r)).resolves.toBe(false);
    expect(pool.snapshot()).toMatchObject({ warmPoolSize: 1, inUse: 0 });
  });

  it('maintenance evicts sessions idle for sessionMaxAgeMs and recycles their resources', async () => {
    const { pool, clock, log } = sessions({
      warmPoolSize: 1,
      enableBackgroundWarmup: true,
      warmupIntervalMs: 1_000,
      sessionMaxAgeMs: 5_000,
    });
    await pool.prepare();
    const active = await pool.acquireForSession('active');
    const stale = await pool.acquireForSession('stale'); // COLD
    expect(active.tier).toBe(AllocationTier.WARM);
    expect(stale.tier).toBe(AllocationTier.COLD);

    for (let t = 0; t < 4; t++) {
      clock.advance(1_000);
      await pool.acquireForSession('active'); // refreshes "last used"
    }
    clock.advance(1_000); // 'stale' unused for 5 s now
    await flushPromises();

    const s = pool.snapshot();
    expect(s.activeSessions).toBe(1);
    expect(s.metrics.staleSessionsEvicted).toBe(1);
    expect(log.ofKind('session-evicted')).toEqual([
      { kind: 'session-evicted', sessionId: 'stale', idleMs: 5_000, reason: 'idle' },
    ]);
    expect(stale.resource.clearCalls).toBe(1); // recycled through the release path
    expect((await pool.acquireForSession('active')).tier).toBe(AllocationTier.DEDICATED);
    expect((await pool.acquireForSession('stale')).tier).not.toBe(AllocationTier.DEDICATED);
    expectBooksBalanced(pool.snapshot());
  });
});
