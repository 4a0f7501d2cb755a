import { WarmableResourcePool } from './warmable-resource-pool';
import type { PoolEvent } from './pool-observer';

describe('WarmableResourcePool events', () => {
  it('tells listeners the moment an acquire starts waiting at the cap, and stops after unsubscribe', async () => {
    let made = 0;
    const pool = new WarmableResourcePool<{ id: number }>({
      name: 'p',
      factory: () => Promise.resolve({ id: made++ }),
      maxSize: 1,
    });
    const events: PoolEvent[] = [];
    const unsubscribe = pool.onEvent((event) => events.push(event));
    const first = await pool.acquire();
    const waiting = pool.acquire({ timeoutMs: 1_000 });
    expect(events).toEqual([{ kind: 'waiter-queued', waiting: 1 }]);
    await pool.release(first);
    await expect(waiting).resolves.toBe(first);
    unsubscribe();
    const again = pool.acquire({ timeoutMs: 1_000 });
    expect(events).toHaveLength(1);
    await pool.release(first);
    await again;
    await pool.shutdown();
  });
});
