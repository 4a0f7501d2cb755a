import { Redis } from 'ioredis';
import { describeWithRedis, startRedis, type TestRedis } from '../../../test/support/fleet/redis-server';
import { LeaseLedger, type PerPool } from '../leases/lease-ledger';
import { FleetKeys } from './fleet-keys';

const none: PerPool<number> = { tts: 0, stt: 0 };

describeWithRedis('fleet lease scripts (real Redis)', () => {
  let server: TestRedis;
  const clients: Redis[] = [];
  let prefixCounter = 0;
  let keys: FleetKeys;

  const connection = (): Redis => {
    const redis = new Redis(server.url, { lazyConnect: false });
    clients.push(redis);
    return redis;
  };
  const ledger = (id: string, ttlMs = 60_000, redis = connection()) =>
    new LeaseLedger(redis, keys, id, ttlMs, 5_000);

  beforeAll(async () => {
    server = await startRedis();
  });
  beforeEach(() => {
    keys = new FleetKeys(`test${++prefixCounter}:`);
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.quit().catch(() => undefined)));
    await server?.stop();
  });

  it('grants leases up to the fleet cap across replicas, refuses beyond it, and a give frees one', async () => {
    const a = ledger('a');
    const b = ledger('b');
    await a.sync(none);
    await b.sync(none);
    expect((await a.take('tts', 3, 'acquire', 1)).outcome).toBe('granted');
    expect((await b.take('tts', 3, 'acquire', 1)).outcome).toBe('granted');
    expect(await a.take('tts', 3, 'acquire', 1, true)).toEqual({ outcome: 'granted', leased: 3 });
    expect(await b.take('tts', 3, 'acquire', 4, true)).toEqual({ outcome: 'refused', leased: 3 });
    // Pools are budgeted separately.
    expect((await b.take('stt', 3, 'acquire', 1)).outcome).toBe('granted');

    expect(await a.give('tts', 1)).toBe(1);
    expect(await b.take('tts', 3, 'acquire', 1, true)).toEqual({ outcome: 'granted', leased: 3 });
    expect((await a.read()).leased).toEqual({ tts: 3, stt: 1 });
  });

  it('records a refused acquire as demand: other replicas see it, and their refills leave the free leases to it', async () => {
    const a = ledger('a');
    const b = ledger('b');
    await a.sync(none);
    await b.sync(none);
    await a.take('tts', 2, 'acquire', 0);
    await a.take('tts', 2, 'acquire', 0, true);
    expect((await b.take('tts', 2, 'acquire', 3)).outcome).toBe('refused');

    // A holds one beyond its fair share (1 of 2), and B, below its share, waits: A owes it one.
    const seenByA = await a.heartbeat('{}', none, { tts: 2, stt: 0 });
    expect(seenByA?.pools.tts).toEqual({ leased: 2, waitingElsewhere: 3, held: 2, owed: 1 });
    expect(seenByA?.pools.stt.waitingElsewhere).toBe(0);

    // A gives one back: the free lease is for B's waiters, not for a refill, while B still waits.
    await a.give('tts', 1);
    await a.give('tts', 1);
    expect((await a.take('tts', 2, 'refill', 0)).outcome).toBe('refused');
    expect((await b.take('tts', 2, 'acquire', 3)).outcome).toBe('granted');

    // B's heartbeat with no one waiting withdraws the demand; refills may take free leases again.
    await b.heartbeat('{}', none);
    expect((await a.heartbeat('{}', none))?.pools.tts.waitingElsewhere).toBe(0);
    expect((await a.take('tts', 2, 'refill', 0)).outcome).toBe('granted');
  });

  it('gives every replica its fair share first; beyond it only a persistent demand borrows, and never what a replica below its share waits for', async () => {
    const [a, b, c] = ['a', 'b', 'c'].map((id) => ledger(id));
    for (const replica of [a, b, c]) await replica.sync(none);
    const max = 6; // fair share: 2 each
    await a.take('tts', max, 'acquire', 1);
    await a.take('tts', max, 'acquire', 1);
    // A refill never goes beyond the fair share.
    expect((await a.take('tts', max, 'refill', 0)).outcome).toBe('refused');
    expect((await b.take('tts', max, 'refill', 0)).outcome).toBe('granted');
    // Beyond its share: refused to a demand that has only just begun, granted to a persistent one.
    expect((await a.take('tts', max, 'acquire', 5)).outcome).toBe('refused');
    expect((await a.take('tts', max, 'acquire', 5, true)).outcome).toBe('granted');
    await b.take('tts', max, 'acquire', 1);
    await c.take('tts', max, 'acquire', 1); // the last free lease: below its share, c wins it
    expect(await c.take('tts', max, 'acquire', 2)).toEqual({ outcome: 'refused', leased: 6 });

    // a holds one beyond its share and c, below its share, waits: a owes one; b (at its share) owes none.
    const caps = { tts: max, stt: 0 };
    expect((await a.heartbeat('{}', none, caps))?.pools.tts).toMatchObject({ held: 3, owed: 1 });
    expect((await b.heartbeat('{}', none, caps))?.pools.tts).toMatchObject({ held: 2, owed: 0 });

    // The lease a gives back is kept for c: b's persistent borrowing is refused, c's take granted.
    await a.give('tts', 1);
    expect((await b.take('tts', max, 'acquire', 9, true)).outcome).toBe('refused');
    expect((await c.take('tts', max, 'acquire', 2)).outcome).toBe('granted');
    expect((await a.read()).leased.tts).toBe(max);
  });

  it('answers stale to a replica that never registered or whose heartbeat lapsed, until it syncs', async () => {
    const a = ledger('a', 300);
    expect((await a.take('tts', 5, 'acquire', 0)).outcome).toBe('stale');
    await a.sync(none);
    expect((await a.take('tts', 5, 'acquire', 0)).outcome).toBe('granted');
    await a.take('tts', 5, 'acquire', 0);

    const observer = ledger('observer');
    await observer.sync(none);
    expect((await observer.read()).leased.tts).toBe(2);
    // No heartbeat from a: after its TTL its leases are free again, without a's help.
    await pollUntil(async () => (await observer.read()).leased.tts === 0);
    expect((await observer.read()).replicas.map((r) => r.id)).toEqual(['observer']);

    expect(await a.heartbeat('{}', none)).toBeNull();
    expect((await a.take('tts', 5, 'acquire', 0)).outcome).toBe('stale');
    const synced = await a.sync({ tts: 2, stt: 1 });
    expect(synced).toEqual({ replicas: 2, leased: { tts: 2, stt: 1 } });
  });

  it('reports a give below zero, so a replica can tell its books disagree with Redis', async () => {
    const a = ledger('a');
    await a.sync({ tts: 1, stt: 0 });
    expect(await a.give('tts', 1)).toBe(0);
    expect(await a.give('tts', 1)).toBe(-1);
    expect((await a.read()).leased.tts).toBe(0);
  });

  it('frees all of a leaving replica at once and publishes snapshots with the heartbeat', async () => {
    const a = ledger('a');
    const b = ledger('b');
    await a.sync({ tts: 2, stt: 2 });
    await b.sync(none);
    expect(await a.heartbeat(JSON.stringify({ ready: true }), { tts: 1, stt: 0 })).toMatchObject({
      replicas: 2,
    });

    const before = await b.read();
    expect(before.leased).toEqual({ tts: 2, stt: 2 });
    const entry = before.replicas.find((r) => r.id === 'a');
    expect(JSON.parse(entry!.snapshotJson)).toEqual({ ready: true });
    expect(entry!.publishedAt).toBeGreaterThan(before.now - 5_000);
    expect(before.replicas.find((r) => r.id === 'b')!.snapshotJson).toBe('');

    await a.leave();
    const after = await b.read();
    expect(after.leased).toEqual({ tts: 0, stt: 0 });
    expect(after.replicas.map((r) => r.id)).toEqual(['b']);
    expect((await b.heartbeat('{}', none))?.pools.tts.waitingElsewhere).toBe(0);
  });

  it('is atomic: 60 concurrent takes over 6 connections for a cap of 10 grant exactly 10', async () => {
    const replicas = Array.from({ length: 6 }, (_, i) => ledger(`r${i}`));
    await Promise.all(replicas.map((r) => r.sync(none)));
    const outcomes = await Promise.all(
      Array.from({ length: 60 }, (_, i) => replicas[i % 6].take('stt', 10, 'acquire', 1, true)),
    );
    expect(outcomes.filter((o) => o.outcome === 'granted')).toHaveLength(10);
    expect((await replicas[0].read()).leased.stt).toBe(10);
  });

  it('loads its scripts again after Redis forgot them (SCRIPT FLUSH, as after a restart)', async () => {
    const redis = connection();
    const a = ledger('a', 60_000, redis);
    await a.sync(none);
    await redis.script('FLUSH');
    expect((await a.take('tts', 1, 'acquire', 0)).outcome).toBe('granted');
  });
});

async function pollUntil(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
