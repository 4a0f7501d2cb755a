import { expect } from '@jest/globals';
import type { HttpApp } from '../support/app/http-app';
import request from 'supertest';
import { FleetHealthIndicator } from '../../src/fleet/api/fleet-health.indicator';
import type { FleetView } from '../../src/fleet/api/fleet-view';
import { FleetModule } from '../../src/fleet/fleet.module';
import { FleetRedisError } from '../../src/fleet/redis/fleet-redis-error';
import { createTestApp } from '../support/app/create-test-app';
import { describeWithRedis, startRedis, type TestRedis } from '../support/fleet/redis-server';

jest.setTimeout(60_000);

/** The fleet module inside the real application shell (fake pools), two replicas against one real Redis. */
describeWithRedis('fleet module in the application (e2e, real Redis)', () => {
  let redis: TestRedis;
  const apps: HttpApp[] = [];

  beforeAll(async () => {
    redis = await startRedis();
  });
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
    if (!redis.running) await redis.start();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  async function replica(replicaId: string, redisUrl = redis.url): Promise<HttpApp> {
    const { app } = await createTestApp({
      features: [
        FleetModule.forRoot({
          redisUrl,
          replicaId,
          leaseTtlMs: 3_000,
          heartbeatMs: 50,
          connectTimeoutMs: 2_000,
          fleetMax: { tts: 6 },
        }),
      ],
    });
    apps.push(app);
    return app;
  }

  const fleet = async (app: HttpApp): Promise<FleetView> =>
    (await request(app.getHttpServer()).get('/api/v1/fleet').expect(200)).body as FleetView;

  async function until<T>(read: () => Promise<T>, accept: (value: T) => boolean): Promise<T> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const value = await read();
      if (accept(value)) return value;
      if (Date.now() > deadline) throw new Error(`condition not met; last value ${JSON.stringify(value)}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  it('shows every replica with its snapshot, the budget and Redis state on /api/v1/fleet and /metrics', async () => {
    const a = await replica('replica-a');
    await replica('replica-b');
    const view = await until(
      () => fleet(a),
      (v) => v.replicas.length === 2 && v.replicas.every((r) => r.pools.tts !== undefined),
    );
    expect(view.redis).toBe('ok');
    expect(view.budget).toEqual({ tts: { max: 6, leased: 0 }, stt: { max: null, leased: 0 } });
    expect(view.replicas.map((r) => r.id)).toEqual(['replica-a', 'replica-b']);
    const b = view.replicas[1];
    expect(b).toMatchObject({
      ready: true,
      sessions: 0,
      pools: { tts: { name: 'tts' }, stt: { name: 'stt' } },
    });
    expect(b.lastSeenMs).toBeGreaterThanOrEqual(0);
    expect(b.lastSeenMs).toBeLessThan(3_000);

    const metrics = await until(
      async () => (await request(a.getHttpServer()).get('/metrics').expect(200)).text,
      (text) => text.includes('warmline_fleet_replicas 2'),
    );
    expect(metrics).toContain('warmline_fleet_budget{pool="tts"} 6');
    expect(metrics).toContain('warmline_fleet_budget{pool="stt"} +Inf');
    expect(metrics).toContain('warmline_fleet_leased{pool="tts"} 0');
    expect(metrics).toContain('warmline_fleet_degraded 0');
  });

  it('reports degraded (and stays up) while Redis is down, and ok again once it is back', async () => {
    const a = await replica('replica-a');
    const health = a.get(FleetHealthIndicator);
    expect(health.check()).toEqual({ fleet: expect.objectContaining({ status: 'up', redis: 'ok' }) });

    await redis.stop();
    const degraded = await until(
      () => fleet(a),
      (v) => v.redis === 'degraded',
    );
    expect(degraded.replicas.map((r) => r.id)).toEqual(['replica-a']);
    expect(health.check()).toEqual({
      fleet: expect.objectContaining({
        status: 'up',
        redis: 'degraded',
        budget: { tts: { max: 6, held: 0, localShare: 6 } },
      }),
    });

    await redis.start();
    await until(
      () => fleet(a),
      (v) => v.redis === 'ok',
    );
    expect(health.check().fleet).toMatchObject({ status: 'up', redis: 'ok' });
  });

  it('leaves the fleet at once when it shuts down', async () => {
    const a = await replica('replica-a');
    const b = await replica('replica-b');
    await until(
      () => fleet(a),
      (v) => v.replicas.length === 2,
    );
    await b.close();
    apps.splice(apps.indexOf(b), 1);
    expect((await fleet(a)).replicas.map((r) => r.id)).toEqual(['replica-a']);
  });

  it('fails start-up with a clear error, not a hang, when Redis cannot be reached', async () => {
    const started = Date.now();
    const failure = replica('replica-x', 'redis://user:secret@127.0.0.1:1');
    await expect(failure).rejects.toThrow(FleetRedisError);
    await expect(failure).rejects.toThrow(/cannot reach Redis at redis:\/\/\*\*\*:\*\*\*@127\.0\.0\.1:1/);
    await expect(failure).rejects.not.toThrow(/secret/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
