import type { HttpApp } from './support/app/http-app';
import type { PoolsResponse } from '../src/speech-pools/pools.controller';
import type { HealthBody } from './support/app/health-body';
import request from 'supertest';
import { startEmulator, type RunningEmulator } from '../src/emulator';
import type { ResourcePool } from '../src/pools';
import { POOL_REGISTRY } from '../src/speech-pools/pool-tokens';
import { waitFor } from './support/wait-for';
import { createRealApp } from './support/app/create-real-app';

type Registry = ReadonlyMap<string, ResourcePool<unknown>>;

function expectBooksBalanced(pools: Registry): void {
  for (const pool of pools.values()) {
    const { resourcesCreated, resourcesDestroyed } = pool.snapshot().metrics;
    expect({ pool: pool.name, live: resourcesCreated - resourcesDestroyed }).toEqual({
      pool: pool.name,
      live: 0,
    });
  }
}

describe('SpeechPoolsModule with real Speech SDK clients (e2e)', () => {
  let emulator: RunningEmulator;
  let app: HttpApp | undefined;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, voice: 'synthetic' });
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
    await waitFor(() => emulator.stats().connectionsOpen === 0, 'every upstream socket closed');
    emulator.reset();
  });
  afterAll(() => emulator.close());

  const standalone = (extra: Record<string, string> = {}): Record<string, string> => ({
    AZURE_SPEECH_HOST: emulator.url,
    AZURE_SPEECH_KEY: 'test-key',
    SPEECH_POOL_TTS_WARM_SIZE: '3',
    SPEECH_POOL_STT_WARM_SIZE: '2',
    ...extra,
  });

  it('against a standalone emulator: ready after warm-up, one open socket per warm client, books balance on close', async () => {
    app = await createRealApp(standalone());
    const server = app.getHttpServer();

    const ready = await request(server).get('/health/ready').expect(200);
    expect((ready.body as HealthBody).info).toMatchObject({ tts: { status: 'up' }, stt: { status: 'up' } });

    const { pools: snapshots } = (await request(server).get('/api/v1/pools').expect(200))
      .body as PoolsResponse;
    expect(snapshots.tts).toMatchObject({ ready: true, warmPoolSize: 3, warmPoolTarget: 3 });
    expect(snapshots.stt).toMatchObject({ ready: true, warmPoolSize: 2, warmPoolTarget: 2 });
    // The start-up credential probe has closed its socket: exactly the warm clients remain.
    await waitFor(() => emulator.stats().connectionsOpen === 5, 'probe socket closed');
    expect(emulator.stats().connectionsOpen).toBe(5);

    const metrics = await request(server).get('/metrics').expect(200);
    expect(metrics.text).toMatch(/^warmline_pool_warm_size\{pool="tts"\} 3$/m);
    expect(metrics.text).toMatch(/^warmline_pool_warm_size\{pool="stt"\} 2$/m);

    const pools = app.get<Registry>(POOL_REGISTRY);
    await app.close();
    app = undefined;
    expectBooksBalanced(pools);
  });

  it('with SPEECH_EMULATOR=auto and no Azure settings: starts the embedded emulator and gets ready', async () => {
    app = await createRealApp({ SPEECH_EMULATOR: 'auto', SPEECH_POOL_WARM_SIZE: '1' });
    const res = await request(app.getHttpServer()).get('/health/ready').expect(200);
    expect((res.body as HealthBody).info).toMatchObject({
      tts: { status: 'up', warmPoolSize: 1 },
      stt: { status: 'up', warmPoolSize: 1 },
    });
  });

  it('starts with readiness down while the upstream refuses connections, and comes up once it accepts', async () => {
    emulator.setFaults({ maxConnections: 0 });
    app = await createRealApp(
      standalone({
        SPEECH_POOL_WARM_SIZE: '1',
        SPEECH_POOL_TTS_WARM_SIZE: '1',
        SPEECH_POOL_STT_WARM_SIZE: '1',
      }),
    );
    const server = app.getHttpServer();
    const down = (await request(server).get('/health/ready').expect(503)).body as HealthBody;
    expect(down.error?.tts.status).toBe('down');
    expect(down.error?.tts.factory?.consecutiveFailures).toBeGreaterThan(0);

    emulator.setFaults({});
    await waitFor(
      () => [...app!.get<Registry>(POOL_REGISTRY).values()].every((p) => p.snapshot().ready),
      'pools ready after backoff',
      20_000,
    );
    await request(server).get('/health/ready').expect(200);
  });

  it('fails start-up loudly when the upstream rejects the credentials', async () => {
    emulator.setFaults({ requireKey: 'the-right-key' });
    await expect(createRealApp(standalone({ AZURE_SPEECH_KEY: 'a-wrong-key' }))).rejects.toThrow(
      /rejected the credentials/,
    );
  });
});
