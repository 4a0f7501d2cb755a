import { Redis } from 'ioredis';
import { Server } from 'socket.io';
import { io, type Socket as ClientSocket } from 'socket.io-client';
import { startEmulator, type RunningEmulator } from '../../src/emulator';
import type { FleetView } from '../../src/fleet/api/fleet-view';
import { FleetKeys } from '../../src/fleet/redis/fleet-keys';
import { connectFleetRedis } from '../../src/fleet/redis/redis-connection';
import {
  createFleetSocketAdapter,
  type FleetSocketAdapter,
} from '../../src/fleet/socket/fleet-socket-adapter';
import type { DashboardFrame } from '../../src/web/dashboard/dashboard-frame';
import { closeAll, newClient, synthesize } from '../support/app/voice-harness';
import { describeWithRedis, startRedis, type TestRedis } from '../support/fleet/redis-server';
import { startWebApp, type WebApp } from '../support/web/web-app';

jest.setTimeout(120_000);

const KEY = 'isolation-key-0123456789';
const FLEET_MAX = 4;
/** Two deployments on one redis-server: their own DB and prefix each. */
const A = { prefix: 'deploy-a:', db: 1 };
const B = { prefix: 'deploy-b:', db: 2 };

/**
 * Fleet isolation on a shared Redis: what one deployment (or another replica of the same one) publishes or
 * writes under its prefix never reaches another deployment's viewers, voice clients or budget.
 */
describeWithRedis('two fleet deployments on one redis-server (different prefixes and DBs)', () => {
  let redis: TestRedis;
  let emulator: RunningEmulator;
  const apps: WebApp[] = [];
  const servers: Server[] = [];
  const adapters: FleetSocketAdapter[] = [];
  const connections: Redis[] = [];
  const sockets: ClientSocket[] = [];
  const clients: ReturnType<typeof newClient>[] = [];
  let a1: WebApp;

  const url = (deployment: typeof A): string => `${redis.url}/${deployment.db}`;
  const replica = (deployment: typeof A, id: string, warm: number): Promise<WebApp> =>
    startWebApp({
      AZURE_SPEECH_HOST: emulator.url,
      AZURE_SPEECH_KEY: 'test-key',
      VOICE_API_KEYS: KEY,
      SPEECH_POOL_WARM_SIZE: String(warm),
      REDIS_URL: url(deployment),
      FLEET_REDIS_PREFIX: deployment.prefix,
      REPLICA_ID: id,
      SPEECH_FLEET_MAX_SIZE: String(FLEET_MAX),
      LOG_LEVEL: 'warn',
    }).then((app) => {
      apps.push(app);
      return app;
    });

  /** A Socket.IO server in this process on a deployment's channel: another replica's broadcasts, as Redis sees them. */
  async function broadcaster(deployment: typeof A): Promise<Server> {
    const base = await connectFleetRedis(url(deployment), {
      connectTimeoutMs: 2_000,
      commandTimeoutMs: 1_000,
      connectionName: 'isolation-test',
    });
    connections.push(base);
    const fleet = await createFleetSocketAdapter(base, deployment.prefix);
    adapters.push(fleet);
    const server = new Server({ adapter: fleet.adapter });
    servers.push(server);
    return server;
  }

  beforeAll(async () => {
    [redis, emulator] = await Promise.all([startRedis(), startEmulator({ port: 0, voice: 'synthetic' })]);
    // The replicas of deployment A differ in their warm size, so a dashboard frame tells which one sent it.
    a1 = await replica(A, 'a-1', 1);
    await replica(A, 'a-2', 2);
    await replica(B, 'b-1', 1);
  });

  afterAll(async () => {
    closeAll(clients);
    for (const socket of sockets) socket.disconnect();
    // Not attached to an HTTP server, so Server.close() does not apply: close each namespace's adapter.
    for (const server of servers) for (const name of ['/', '/voice']) await server.of(name).adapter.close();
    for (const adapter of adapters) await adapter.close();
    for (const connection of connections) connection.disconnect();
    for (const app of apps) await app.close();
    await emulator?.close();
    await redis?.stop();
  });

  it("sends a dashboard viewer its own replica's frames only", async () => {
    const socket = io(`${a1.url}/dashboard`, {
      auth: { token: KEY },
      transports: ['websocket'],
      forceNew: true,
    });
    sockets.push(socket);
    const frames: DashboardFrame[] = [];
    socket.on('dashboard.frame', (frame: DashboardFrame) => frames.push(frame));
    const started = Date.now();
    while (frames.length < 4 && Date.now() - started < 30_000) await new Promise((r) => setTimeout(r, 100));
    expect(frames.length).toBeGreaterThanOrEqual(4);
    expect(frames.map((f) => f.pools.tts.warmPoolTarget)).toEqual(frames.map(() => 1));
  });

  it("delivers no event another deployment broadcasts to a voice client; its own deployment's do arrive", async () => {
    const client = newClient(a1.url, { token: KEY });
    clients.push(client);
    await client.ready();
    const received: string[] = [];
    client.socket.on('stt.final', (event: { text?: string }) => received.push(String(event.text)));

    (await broadcaster(B)).of('/voice').emit('stt.final', { requestId: 'x', text: 'from deployment B' });
    // The same broadcast on A's own channel does reach it: the prefix is what keeps B's out.
    (await broadcaster(A)).of('/voice').emit('stt.final', { requestId: 'x', text: 'from deployment A' });
    const started = Date.now();
    while (received.length === 0 && Date.now() - started < 10_000)
      await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 200)); // a late message from B would be here by now
    expect(received).toEqual(['from deployment A']);
  });

  it("keeps its budget when another deployment's books (or a fake replica in the default prefix) claim the cap", async () => {
    for (const [db, prefix] of [
      [A.db, 'warmline:'],
      [B.db, B.prefix],
    ] as const) {
      const other = new Redis(`${redis.url}/${db}`);
      connections.push(other);
      const keys = new FleetKeys(prefix);
      await other.zadd(keys.heartbeats, Date.now() + 3_600_000, 'intruder');
      await other.hset(keys.leases('tts'), 'intruder', 1_000);
    }
    // More syntheses at once than a-1 keeps warm: the cold ones need leases of A's budget.
    const results = await Promise.all(
      [1, 2, 3].map(async (i) => {
        const client = newClient(a1.url, { token: KEY });
        clients.push(client);
        return synthesize(client, { text: `isolated request ${i}`, format: 'pcm-16k' });
      }),
    );
    expect(results.map((r) => r.audio.length > 0)).toEqual([true, true, true]);
    const view = (await (
      await fetch(`${a1.url}/api/v1/fleet`, { headers: { authorization: `Bearer ${KEY}` } })
    ).json()) as FleetView;
    expect(view.replicas.map((r) => r.id).sort()).toEqual(['a-1', 'a-2']);
    expect(view.budget.tts.leased).toBeLessThanOrEqual(FLEET_MAX);
  });
});
