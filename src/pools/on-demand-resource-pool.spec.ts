import { AllocationTier } from './allocation-tier';
import { OnDemandResourcePool } from './on-demand-resource-pool';
import { PoolClosedError } from './pool-errors';
import { FakeClock } from '../../test/support/pools/fake-clock';
import { FakeFactory, type FakeResource } from '../../test/support/pools/fake-resources';
import type { OnDemandResourcePoolOptions } from './pool-options';
import { WarmableResourcePool } from './warmable-resource-pool';

function onDemand(overrides: Partial<OnDemandResourcePoolOptions<FakeResource>> = {}) {
  const clock = new FakeClock();
  const factory = new FakeFactory();
  const pool = new OnDemandResourcePool<FakeResource>({
    name: 'stt',
    factory: factory.create,
    clock,
    ...overrides,
  });
  return { pool, factory, clock };
}

describe('OnDemandResourcePool', () => {
  it('shares the warmable pool code rather than copying it', () => {
    expect(onDemand().pool).toBeInstanceOf(WarmableResourcePool);
  });

  it('prepare() creates nothing and reports no warm stack and no background task', async () => {
    const { pool, factory, clock } = onDemand({ maxSize: 8 });
    await pool.prepare();
    expect(factory.calls).toBe(0);
    expect(clock.pendingTimers).toBe(0);
    expect(pool.snapshot()).toMatchObject({
      ready: true,
      warmPoolTarget: 0,
      warmPoolSize: 0,
      backgroundWarmup: false,
      maxSize: 8,
    });
  });

  it('every plain allocation is COLD and every release destroys the resource', async () => {
    const { pool, factory, clock } = onDemand();
    const a = await pool.acquireForSession(null);
    await pool.release(a.resource);
    const b = await pool.acquireForSession(null);
    clock.advance(60_000);

    expect([a.tier, b.tier]).toEqual([AllocationTier.COLD, AllocationTier.COLD]);
    expect(a.resource.disposeCalls).toBe(1);
    expect(a.resource.clearCalls).toBe(1);
    expect(factory.calls).toBe(2);
    expect(pool.snapshot().metrics.hitRate).toBe(0);
  });

  it('ignores warm-up options an untyped caller might still pass', async () => {
    const options = {
      name: 'x',
      factory: new FakeFactory().create,
      warmPoolSize: 5,
      enableBackgroundWarmup: true,
    };
    const pool = new OnDemandResourcePool<FakeResource>(options); // the extra options are not in its type
    await pool.prepare();
    expect(pool.snapshot()).toMatchObject({ warmPoolTarget: 0, warmPoolSize: 0, backgroundWarmup: false });
    await pool.shutdown();
  });

  it('caches per session (DEDICATED) and destroys the resource when the session ends', async () => {
    const { pool } = onDemand({ sessionAwareness: true });
    const first = await pool.acquireForSession('s');
    const second = await pool.acquireForSession('s');
    expect([first.tier, second.tier]).toEqual([AllocationTier.COLD, AllocationTier.DEDICATED]);
    expect(second.resource).toBe(first.resource);

    await expect(pool.releaseForSession('s')).resolves.toBe(true);
    expect(first.resource.disposeCalls).toBe(1);
  });

  it('caps, queues and hands a released resource to a waiter instead of destroying it', async () => {
    const { pool, factory } = onDemand({ maxSize: 1 });
    const held = await pool.acquire();
    const waiting = pool.acquireForSession(null);
    await pool.release(held);
    expect(await waiting).toEqual({ resource: held, tier: AllocationTier.WARM });
    expect(held.disposeCalls).toBe(0);
    expect(factory.calls).toBe(1);
  });

  it('maintain() evicts stale sessions on demand (there is no background task)', async () => {
    const { pool, clock } = onDemand({ sessionAwareness: true, sessionMaxAgeMs: 1_000 });
    const { resource } = await pool.acquireForSession('s');
    clock.advance(1_000);
    await pool.maintain();
    expect(resource.disposeCalls).toBe(1);
    expect(pool.snapshot().metrics.staleSessionsEvicted).toBe(1);
  });

  it('shuts down like the warmable pool', async () => {
    const { pool } = onDemand({ sessionAwareness: true });
    const { resource } = await pool.acquireForSession('s');
    await pool.shutdown();
    expect(resource.disposeCalls).toBe(1);
    await expect(pool.acquire()).rejects.toBeInstanceOf(PoolClosedError);
  });
});
