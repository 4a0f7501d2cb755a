import { AllocationTier } from './allocation-tier';
import { FakeClock, flushPromises } from '../../test/support/pools/fake-clock';
import { expectBooksBalanced, type FakeResource } from '../../test/support/pools/fake-resources';
import { poolFixture, type FakePoolOptions } from '../../test/support/pools/pool-fixture';

const sessions = (overrides: FakePoolOptions = {}) =>
  poolFixture({ sessionAwareness: true, warmPoolSize: 2, ...overrides });

describe('WarmableResourcePool validates a session client before a DEDICATED hand-out', () => {
  it('a valid (even busy) session client is DEDICATED, validated on every hand-out', async () => {
    const validate = jest.fn((r: FakeResource) => r.isReady());
    const { pool } = sessions({ validate });
    await pool.prepare();
    const first = await pool.acquireForSession('s');
    validate.mockClear();

    const again = await pool.acquireForSession('s');

    expect(again).toEqual({ resource: first.resource, tier: AllocationTier.DEDICATED });
    expect(validate).toHaveBeenCalledWith(first.resource);
  });

  it('a broken session client is destroyed and the session gets a WARM replacement bound to it', async () => {
    const { pool, log } = sessions();
    await pool.prepare();
    const broken = (await pool.acquireForSession('s')).resource;
    broken.ready = false;

    const replacement = await pool.acquireForSession('s');

    expect(replacement.tier).toBe(AllocationTier.WARM);
    expect(replacement.resource).not.toBe(broken);
    expect(broken.disposeCalls).toBe(1);
    expect(log.ofKind('resource-replaced')).toEqual([{ kind: 'resource-replaced', reason: 'invalid' }]);
    // The replacement is the session's own now.
    await expect(pool.acquireForSession('s')).resolves.toEqual({
      resource: replacement.resource,
      tier: AllocationTier.DEDICATED,
    });
    const s = pool.snapshot();
    expect(s).toMatchObject({ activeSessions: 1, inUse: 1 });
    expect(s.metrics).toMatchObject({ resourcesDestroyed: 1, allocationsWarm: 2, allocationsDedicated: 1 });
    expectBooksBalanced(s);
  });

  it('with the warm stack empty the replacement is COLD, and concurrent callers of the session share it', async () => {
    const { pool, factory } = sessions({ warmPoolSize: 0 });
    const broken = (await pool.acquireForSession('s')).resource; // COLD
    broken.ready = false;
    factory.manual = true;

    const a = pool.acquireForSession('s');
    const b = pool.acquireForSession('s');
    expect(factory.inFlight).toBe(1);
    const made = factory.resolveNext();

    await expect(a).resolves.toEqual({ resource: made, tier: AllocationTier.COLD });
    await expect(b).resolves.toEqual({ resource: made, tier: AllocationTier.DEDICATED });
    expect(broken.disposeCalls).toBe(1);
    expectBooksBalanced(pool.snapshot());
  });

  it('at the cap the broken client frees its place, so the session is not stuck waiting for itself', async () => {
    const { pool } = sessions({ warmPoolSize: 0, maxSize: 1 });
    const broken = (await pool.acquireForSession('s')).resource;
    broken.ready = false;

    const replacement = await pool.acquireForSession('s');

    expect(replacement.tier).toBe(AllocationTier.COLD);
    expect(pool.snapshot()).toMatchObject({ size: 1, inUse: 1 });
  });

  it('a validate() answering with a promise is the slow path: valid stays DEDICATED, invalid is replaced', async () => {
    let valid = true;
    const { pool } = sessions({ validate: () => Promise.resolve(valid) });
    await pool.prepare();
    const first = (await pool.acquireForSession('s')).resource;

    const checking = pool.acquireForSession('s');
    const joining = pool.acquireForSession('s'); // joins the running check
    expect(pool.snapshot().inUse).toBe(1); // counted as in use while it is checked
    await expect(checking).resolves.toEqual({ resource: first, tier: AllocationTier.DEDICATED });
    await expect(joining).resolves.toEqual({ resource: first, tier: AllocationTier.DEDICATED });

    valid = false;
    const replaced = pool.acquireForSession('s');
    valid = true; // the warm stack's clients pass
    const next = await replaced;
    expect(next.tier).toBe(AllocationTier.WARM);
    expect(next.resource).not.toBe(first);
    expect(first.disposeCalls).toBe(1);
    expectBooksBalanced(pool.snapshot());
  });

  it('a session released while its client is being checked: the client comes back to the pool', async () => {
    const { pool } = sessions({ validate: () => Promise.resolve(true) });
    await pool.prepare();
    const first = (await pool.acquireForSession('s')).resource;

    const checking = pool.acquireForSession('s');
    await pool.releaseForSession('s');
    await expect(checking).rejects.toThrow(/released while acquiring/);
    await flushPromises();

    expect(first.disposeCalls).toBe(0);
    expect(first.clearCalls).toBe(1);
    const s = pool.snapshot();
    expect(s).toMatchObject({ activeSessions: 0, inUse: 0, warmPoolSize: 2 });
    expectBooksBalanced(s);
  });

  it('shutdown during the check destroys the client once', async () => {
    const { pool } = sessions({ validate: () => Promise.resolve(true) });
    await pool.prepare();
    const first = (await pool.acquireForSession('s')).resource;

    const checking = pool.acquireForSession('s');
    await pool.shutdown();
    await expect(checking).rejects.toThrow(/shut down/);
    expect(first.disposeCalls).toBe(1);
    expect(pool.snapshot().size).toBe(0);
  });
});

describe('WarmableResourcePool hot path', () => {
  it('with no timestamps to keep, the hot path reads no clock', async () => {
    const clock = new FakeClock();
    const { pool } = sessions({
      clock,
      observer: { allocated: () => undefined },
      sessionMaxAgeMs: Infinity, // no session ages to keep
      warmMaxSize: 2, // nothing to trim
    });
    await pool.prepare();
    await pool.acquireForSession('s');
    const now = jest.spyOn(clock, 'now');

    await pool.acquireForSession('s');
    const r = await pool.acquire();
    await pool.release(r);

    expect(now).not.toHaveBeenCalled();
  });
});
