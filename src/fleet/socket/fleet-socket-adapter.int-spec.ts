import type { Redis } from 'ioredis';
import { Server } from 'socket.io';
import { describeWithRedis, startRedis, type TestRedis } from '../../../test/support/fleet/redis-server';
import { connectFleetRedis } from '../redis/redis-connection';
import { createFleetSocketAdapter, type FleetSocketAdapter } from './fleet-socket-adapter';

jest.setTimeout(30_000);

describeWithRedis('fleet Socket.IO adapter (real Redis)', () => {
  let redis: TestRedis;
  const bases: Redis[] = [];
  const adapters: FleetSocketAdapter[] = [];
  const servers: Server[] = [];

  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    // Not server.close(): these servers have no HTTP server to close; their adapters unsubscribe.
    for (const server of servers) for (const nsp of [server.of('/voice')]) await nsp.adapter.close();
    for (const adapter of adapters) await adapter.close();
    for (const base of bases) base.disconnect();
    await redis?.stop();
  });

  async function replica(): Promise<Server> {
    const base = await connectFleetRedis(redis.url, {
      connectTimeoutMs: 2_000,
      commandTimeoutMs: 1_000,
      connectionName: 'adapter-test',
    });
    bases.push(base);
    const fleet = await createFleetSocketAdapter(base, 'adapter-test:');
    adapters.push(fleet);
    const server = new Server({ adapter: fleet.adapter });
    servers.push(server);
    return server;
  }

  const received = (server: Server, event: string): Promise<unknown[]> =>
    new Promise((resolve) => server.of('/voice').on(event, (...args: unknown[]) => resolve(args)));

  it('carries server-side events from one replica to the others', async () => {
    const a = await replica();
    const b = await replica();
    const c = await replica();
    await new Promise((resolve) => setTimeout(resolve, 100)); // subscriptions settle
    const atB = received(b, 'session.claimed');
    const atC = received(c, 'session.claimed');
    a.of('/voice').serverSideEmit('session.claimed', { sessionId: 's1', owner: 'a' });
    expect(await atB).toEqual([{ sessionId: 's1', owner: 'a' }]);
    expect(await atC).toEqual([{ sessionId: 's1', owner: 'a' }]);
  });

  it('survives emitting while Redis is down, and carries messages again once it is back', async () => {
    const a = await replica();
    const b = await replica();
    await redis.stop();
    a.of('/voice').serverSideEmit('fleet.demand', { pool: 'tts' }); // lost, without an unhandled rejection
    await new Promise((resolve) => setTimeout(resolve, 100));
    await redis.start();
    const deadline = Date.now() + 10_000;
    let delivered = false;
    b.of('/voice').on('fleet.demand', () => (delivered = true));
    while (!delivered) {
      if (Date.now() > deadline) throw new Error('no message after Redis came back');
      a.of('/voice').serverSideEmit('fleet.demand', { pool: 'tts' });
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });
});
