import { Redis } from 'ioredis';
import { describeWithRedis, startRedis, type TestRedis } from '../../../test/support/fleet/redis-server';
import { FleetKeys } from '../redis/fleet-keys';
import { connectFleetRedis } from '../redis/redis-connection';
import { SessionDirectory } from './session-directory';

jest.setTimeout(30_000);

describeWithRedis('SessionDirectory (real Redis)', () => {
  let server: TestRedis;
  let keys: FleetKeys;
  let prefix = 0;
  const connections: Redis[] = [];

  beforeAll(async () => {
    server = await startRedis();
  });
  beforeEach(() => {
    keys = new FleetKeys(`sessions${++prefix}:`);
  });
  afterEach(async () => {
    if (!server.running) await server.start();
  });
  afterAll(async () => {
    for (const redis of connections) redis.disconnect();
    await server?.stop();
  });

  async function directory(replicaId: string, leaseTtlMs = 60_000): Promise<SessionDirectory> {
    const redis = await connectFleetRedis(server.url, {
      connectTimeoutMs: 2_000,
      commandTimeoutMs: 1_000,
      connectionName: replicaId,
    });
    connections.push(redis);
    return new SessionDirectory({ redis, keys, replicaId, leaseTtlMs });
  }

  it('resumes a session on another replica with the same key, and refuses it with another key', async () => {
    const a = await directory('a');
    const b = await directory('b');
    expect(await a.claim('s1', 'key-1')).toEqual({ status: 'new' });
    expect(await b.claim('s1', 'key-2')).toEqual({ status: 'forbidden' });
    expect(b.connected).toBe(0);
    expect(await b.claim('s1', 'key-1')).toEqual({ status: 'resumed', previousOwner: 'a' });
    // Loopback clients without keys are one identity: they cannot take a keyed session either.
    expect(await a.claim('s1', undefined)).toEqual({ status: 'forbidden' });
  });

  it('answers unknown without recording the id when asked not to create it', async () => {
    const a = await directory('a');
    const b = await directory('b');
    expect(await a.claim('s1', 'k', false)).toEqual({ status: 'unknown' });
    expect(await b.claim('s1', 'other-key')).toEqual({ status: 'new' });
    expect(await a.claim('s1', 'k', false)).toEqual({ status: 'forbidden' });
    expect(await a.claim('s1', 'other-key', false)).toEqual({ status: 'resumed', previousOwner: 'b' });
  });

  it('tells the previous owner at its next refresh that its session moved', async () => {
    const a = await directory('a');
    const b = await directory('b');
    const lost: string[][] = [];
    a.onLost((ids) => lost.push([...ids]));
    await a.claim('s1', 'k');
    await a.claim('s2', 'k');
    await b.claim('s2', 'k');
    await a.refresh();
    expect(lost).toEqual([['s2']]);
    expect(a.connected).toBe(1);
    await a.refresh();
    expect(lost).toHaveLength(1);
  });

  it('tells the previous owner at its next refresh that a session in its grace was resumed elsewhere', async () => {
    const a = await directory('a');
    const b = await directory('b');
    const lost: string[][] = [];
    a.onLost((ids) => lost.push([...ids]));
    await a.claim('s1', 'k');
    await a.claim('s2', 'k');
    await a.detach('s1', 60_000);
    await a.detach('s2', 60_000);
    await a.refresh();
    expect(lost).toEqual([]);
    await b.claim('s2', 'k');
    await a.refresh();
    expect(lost).toEqual([['s2']]);
    // Reported once; the refresh left the grace of the session still here as the disconnect set it.
    await a.refresh();
    expect(lost).toHaveLength(1);
    const ttl = await connections[0].pttl(keys.session('s1'));
    expect(ttl).toBeGreaterThan(50_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it("keeps a disconnected session's record for the grace only; the id is new after that", async () => {
    const a = await directory('a');
    const b = await directory('b');
    await a.claim('s1', 'k');
    await a.detach('s1', 150);
    await pollUntil(async () => (await connections[0].exists(keys.session('s1'))) === 0);
    expect(await b.claim('s1', 'other-key')).toEqual({ status: 'new' });
  });

  it('does not let an old owner end or shorten a record another replica now owns', async () => {
    const a = await directory('a');
    const b = await directory('b');
    await a.claim('s1', 'k');
    await b.claim('s1', 'k');
    await a.detach('s1', 1);
    await a.end('s1');
    expect(await b.claim('s1', 'k')).toEqual({ status: 'resumed', previousOwner: 'b' });
  });

  it('answers unavailable while Redis is down, and writes its sessions back once Redis returns empty', async () => {
    const a = await directory('a');
    const b = await directory('b');
    const bConnection = connections.at(-1)!;
    await a.claim('s1', 'k');
    await server.stop();
    expect(await a.claim('s2', 'k')).toEqual({ status: 'unavailable' });
    await expect(a.refresh()).rejects.toThrow();
    await server.start();
    await pollUntil(async () => {
      try {
        await a.refresh();
        return true;
      } catch {
        return false;
      }
    });
    // b reconnects on its own schedule: until it has, its claims are rightly unavailable.
    await pollUntil(() => Promise.resolve(bConnection.status === 'ready'));
    expect(await b.claim('s1', 'other')).toEqual({ status: 'forbidden' });
    expect(await b.claim('s2', 'k')).toEqual({ status: 'resumed', previousOwner: 'a' });
  });
});

async function pollUntil(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
