import type { Redis } from 'ioredis';
import { describeWithRedis, startRedis, type TestRedis } from '../../../test/support/fleet/redis-server';
import { waitFor } from '../../../test/support/wait-for';
import { FleetKeys } from '../redis/fleet-keys';
import { connectFleetRedis } from '../redis/redis-connection';
import { GatedFakePool } from '../../../test/support/fleet/gated-fake-pool';
import { FakeClock } from '../../../test/support/pools/fake-clock';
import { FleetCoordinator } from './fleet-coordinator';

jest.setTimeout(30_000);

class RecordingLogger {
  readonly lines: string[] = [];
  log(message: string): void {
    this.lines.push(`log ${message}`);
  }
  warn(message: string): void {
    this.lines.push(`warn ${message}`);
  }
}

describeWithRedis('FleetCoordinator and FleetBudget (real Redis)', () => {
  let server: TestRedis;
  let prefix = 0;
  const started: Array<{ coordinator: FleetCoordinator; redis: Redis }> = [];

  beforeAll(async () => {
    server = await startRedis();
  });
  afterEach(async () => {
    for (const { coordinator, redis } of started.splice(0)) {
      await coordinator.stop();
      redis.disconnect();
    }
    if (!server.running) await server.start();
  });
  afterAll(async () => {
    await server?.stop();
  });

  let keys: FleetKeys;
  beforeEach(() => {
    keys = new FleetKeys(`coord${++prefix}:`);
  });

  async function replica(
    id: string,
    ttsMax: number,
    leaseTtlMs = 60_000,
    timing: { clock?: FakeClock; recoveryHoldMs?: number; lendHoldMs?: number } = {},
  ) {
    const redis = await connectFleetRedis(server.url, {
      connectTimeoutMs: 2_000,
      commandTimeoutMs: 1_000,
      connectionName: id,
    });
    const logger = new RecordingLogger();
    const coordinator = new FleetCoordinator({
      redis,
      keys,
      replicaId: id,
      leaseTtlMs,
      // The tests beat by hand; the timer must not interleave.
      heartbeatMs: 3_600_000,
      fleetMax: { tts: ttsMax },
      snapshot: () => ({ ready: true, sessions: 0, pools: {} }),
      logger,
      retryMs: 20,
      // Recovery at the next beat by hand, unless a test is about the hold.
      recoveryHoldMs: timing.recoveryHoldMs ?? 0,
      // Borrowing and lending at once, unless a test is about the hold.
      lendHoldMs: timing.lendHoldMs ?? 0,
      clock: timing.clock,
    });
    await coordinator.start();
    started.push({ coordinator, redis });
    const pool = new GatedFakePool('tts', coordinator.budgets.get('tts')!);
    return { coordinator, pool, logger, redis };
  }

  it('moves idle leases to the replica whose acquires wait at the fleet cap: its fair share first, then what it borrows', async () => {
    const a = await replica('a', 4);
    const b = await replica('b', 4);
    await a.pool.fill(4);
    expect(a.pool.idle).toHaveLength(2); // a refill stays within the fair share (4 / 2 replicas)
    // Alone in demand, a borrows the rest; then all four are idle.
    const borrowed = await Promise.all([0, 1, 2, 3].map(() => a.pool.acquire()));
    for (const id of borrowed) a.pool.giveBack(id);
    expect(a.pool.idle).toHaveLength(4);
    await b.pool.fill(2); // refills get nothing at the cap
    expect(b.pool.created).toBe(0);

    const served = Promise.all([b.pool.acquire(), b.pool.acquire(), b.pool.acquire()]);
    await waitFor(() => b.coordinator.budgets.get('tts')!.waitingForLease() === 3, 'b blocked at the cap');
    await b.coordinator.beat(); // b reports its waiters as demand
    await a.coordinator.beat(); // a owes b its fair share: two idle clients go at once
    await waitFor(() => b.pool.inUse.size === 2, "b's fair share served");
    expect(a.pool.idle).toHaveLength(2);
    await b.coordinator.beat(); // b, at its share, still waits for one
    await a.coordinator.beat(); // a is quiet: it lends one more idle client
    expect(await served).toHaveLength(3);

    expect(a.pool.idle).toHaveLength(1);
    expect(a.pool.inUse.size + b.pool.inUse.size).toBe(3);
    const reading = await a.coordinator.read();
    expect(reading.leased.tts).toBe(4);
    expect(a.coordinator.budgets.get('tts')!.held + b.coordinator.budgets.get('tts')!.held).toBe(4);
  });

  it('never sheds a client in use, and sheds nothing while no one waits', async () => {
    const a = await replica('a', 2);
    const b = await replica('b', 2);
    const inUse = [await a.pool.acquire(), await a.pool.acquire()];
    await a.coordinator.beat();
    expect(a.pool.inUse.size).toBe(2);

    const waiting = b.pool.acquire();
    await waitFor(() => b.coordinator.budgets.get('tts')!.waitingForLease() === 1, 'b blocked at the cap');
    await b.coordinator.beat();
    await a.coordinator.beat();
    expect(a.pool.inUse.size).toBe(2); // nothing idle to give
    a.pool.release(inUse[0]);
    await expect(waiting).resolves.toEqual(expect.any(Number));
  });

  it('keeps serving from a local share while Redis is down, logs the change once, and re-registers after', async () => {
    const a = await replica('a', 6);
    const b = await replica('b', 6);
    const held = [await a.pool.acquire(), await a.pool.acquire(), await a.pool.acquire()];
    await b.pool.acquire();
    await a.coordinator.beat();

    await server.stop();
    // Share: 6 / 2 replicas = 3, and a already holds 3: one release makes room for one creation.
    const blocked = a.pool.acquire();
    await waitFor(() => a.coordinator.mode === 'degraded', 'a degraded');
    expect(a.coordinator.status()).toMatchObject({
      mode: 'degraded',
      pools: { tts: { localShare: 3, held: 3 } },
    });
    a.pool.release(held[0]);
    await expect(blocked).resolves.toEqual(expect.any(Number));
    await a.coordinator.beat();
    await a.coordinator.beat();
    expect(a.logger.lines.filter((l) => l.startsWith('warn'))).toHaveLength(1);
    expect(a.logger.lines[0]).toMatch(/Redis unreachable .*fleet degraded.*tts 3/);

    await server.start(); // empty: everything the fleet had in Redis is gone
    await waitFor(() => a.redis.status === 'ready' && b.redis.status === 'ready', 'reconnected');
    await a.coordinator.beat();
    await b.coordinator.beat();
    expect(a.coordinator.mode).toBe('ok');
    expect(b.coordinator.mode).toBe('ok');
    expect((await a.coordinator.read()).leased.tts).toBe(a.pool.live + b.pool.live);
    expect(a.logger.lines.at(-1)).toMatch(/Redis reachable again: fleet ok \(leases re-registered: tts 3/);
  });

  it('bases its local share on the largest replica count seen within a lease TTL', async () => {
    const a = await replica('a', 6);
    await replica('b', 6);
    await replica('c', 6);
    const held = [await a.pool.acquire(), await a.pool.acquire(), await a.pool.acquire()];
    await a.coordinator.beat(); // sees 3 replicas
    // A reset of the heartbeats: b and c have not registered again when a beats next and sees itself alone.
    await a.redis.zrem(keys.heartbeats, 'b', 'c');
    await a.coordinator.beat();
    expect(a.coordinator.replicasLastSeen()).toBe(1);

    await server.stop();
    const next = a.pool.acquire();
    await waitFor(() => a.coordinator.mode === 'degraded', 'a degraded');
    // Share: 6 / 3 (not 6 / 1, which would let a alone take the whole cap while b and c take their shares).
    expect(a.coordinator.status().pools.tts).toMatchObject({ localShare: 2, held: 3 });
    a.pool.release(held[0]);
    await a.coordinator.beat();
    expect(a.pool.created).toBe(3); // held 2 of a share of 2: still waiting
    a.pool.release(held[1]);
    await expect(next).resolves.toEqual(expect.any(Number));
    expect(a.pool.live).toBe(2);
  });

  it('waits out a hold before leaving degraded, longer after each relapse, so a slow Redis does not flap', async () => {
    const clock = new FakeClock();
    const a = await replica('a', 4, 60_000, { clock, recoveryHoldMs: 3_000 });
    const slow = new Error('Command timed out');

    a.coordinator.reportFailure(slow); // a take that timed out
    expect(a.coordinator.mode).toBe('degraded');
    await a.coordinator.beat();
    expect(a.coordinator.mode).toBe('degraded'); // Redis answers, but the hold is not over
    clock.advance(3_000);
    await a.coordinator.beat();
    expect(a.coordinator.mode).toBe('ok');

    clock.advance(1_000);
    a.coordinator.reportFailure(slow); // relapse soon after recovering: twice the hold
    clock.advance(3_000);
    await a.coordinator.beat();
    expect(a.coordinator.mode).toBe('degraded');
    a.coordinator.reportFailure(slow); // more failures within the hold do not extend it
    clock.advance(3_000);
    await a.coordinator.beat();
    expect(a.coordinator.mode).toBe('ok');
    expect(a.logger.lines.filter((l) => l.startsWith('warn'))).toHaveLength(2);

    clock.advance(120_000); // a failure long after recovering starts from the base hold again
    a.coordinator.reportFailure(slow);
    clock.advance(3_000);
    await a.coordinator.beat();
    expect(a.coordinator.mode).toBe('ok');
  });

  it('notices its heartbeat lapsed (leases dropped by Redis) and registers them again', async () => {
    const a = await replica('a', 5, 300);
    await a.pool.acquire();
    await a.pool.acquire();
    const observer = await replica('observer', 5);
    await pollUntil(async () => (await observer.coordinator.read()).leased.tts === 0);

    await a.coordinator.beat(); // stale: syncs
    await waitFor(() => a.coordinator.mode === 'ok', 'a synced');
    expect((await observer.coordinator.read()).leased.tts).toBe(2);
  });

  it('repairs books that disagree with its own count at the next heartbeat', async () => {
    const a = await replica('a', 5);
    await a.pool.acquire();
    await a.redis.hset(keys.leases('tts'), 'a', 4); // someone else's mistake
    await a.coordinator.beat();
    await waitFor(() => a.coordinator.mode === 'ok', 'synced');
    expect((await a.coordinator.read()).leased.tts).toBe(1);
  });

  it('gives back everything at once when it leaves', async () => {
    const a = await replica('a', 5);
    const b = await replica('b', 5);
    await a.pool.acquire();
    await a.pool.acquire();
    expect((await b.coordinator.read()).leased.tts).toBe(2);
    await a.coordinator.stop();
    const reading = await b.coordinator.read();
    expect(reading.leased.tts).toBe(0);
    expect(reading.replicas.map((r) => r.id)).toEqual(['b']);
  });
});

async function pollUntil(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
