import type { HttpApp } from './support/app/http-app';
import type { PoolsResponse } from '../src/speech-pools/pools.controller';
import request from 'supertest';
import { FakePool, fakePoolRegistry, poolSnapshot } from './support/pools/fake-pool';
import { createTestApp } from './support/app/create-test-app';

describe('pools REST API (e2e)', () => {
  let app: HttpApp;
  const ttsPatch = {
    warmPoolSize: 1,
    warmPoolTarget: 3,
    inUse: 5,
    maxSize: null,
    metrics: { allocationsWarm: 25 },
  };

  beforeAll(async () => {
    ({ app } = await createTestApp({
      pools: fakePoolRegistry([new FakePool('tts', ttsPatch), new FakePool('stt')]),
    }));
  });
  afterAll(() => app.close());

  it('GET /api/v1/pools returns { pools: { tts, stt } } with the snapshots exactly', async () => {
    const res = await request(app.getHttpServer())
      .get('/api/v1/pools')
      .expect(200)
      .expect('Content-Type', /json/);
    expect(res.body).toStrictEqual({
      pools: { tts: poolSnapshot('tts', ttsPatch), stt: poolSnapshot('stt') },
    });
    // The published field set, no more, no less (factory and warmPoolMax are the library's documented extras).
    const { pools } = res.body as PoolsResponse;
    expect(Object.keys(pools.tts).sort()).toEqual(
      [
        'name',
        'ready',
        'warmPoolSize',
        'warmPoolTarget',
        'warmPoolMax',
        'maxSize',
        'size',
        'inUse',
        'pendingAcquires',
        'sessionAwareness',
        'activeSessions',
        'backgroundWarmup',
        'factory',
        'metrics',
      ].sort(),
    );
    expect(pools.tts.maxSize).toBeNull();
  });

  it('GET /api/v1/pools/tts returns that snapshot', async () => {
    const res = await request(app.getHttpServer()).get('/api/v1/pools/tts').expect(200);
    expect(res.body).toStrictEqual(poolSnapshot('tts', ttsPatch));
  });

  it('GET /api/v1/pools/nope is a Nest 404', async () => {
    const res = await request(app.getHttpServer()).get('/api/v1/pools/nope').expect(404);
    expect(res.body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'Unknown pool "nope"; known pools: tts, stt',
    });
  });
});
