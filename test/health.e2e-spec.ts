import { expect } from '@jest/globals';
import type { HealthBody } from './support/app/health-body';
import type { HttpApp } from './support/app/http-app';
import { Injectable, Module, type OnModuleDestroy } from '@nestjs/common';
import request from 'supertest';
import { ShutdownState } from '../src/lifecycle/shutdown-state';
import { createTestApp, type TestApp } from './support/app/create-test-app';

describe('health (e2e)', () => {
  let testApp: TestApp;
  let app: HttpApp;

  beforeEach(async () => {
    testApp = await createTestApp();
    app = testApp.app;
  });
  afterEach(() => app.close());

  it('GET /health/live is 200 with the event-loop and heap checks', async () => {
    const res = await request(app.getHttpServer()).get('/health/live').expect(200);
    expect(res.body).toMatchObject({
      status: 'ok',
      info: { event_loop: { status: 'up' }, heap: { status: 'up' } },
    });
  });

  it('GET /health/live stays 200 when pools are down', async () => {
    testApp.pools.get('tts')?.update({ ready: false });
    await request(app.getHttpServer()).get('/health/live').expect(200);
  });

  it('GET /health/ready is 200 with one entry per pool when both are ready', async () => {
    const res = await request(app.getHttpServer()).get('/health/ready').expect(200);
    const body = res.body as HealthBody;
    expect(body.status).toBe('ok');
    expect(Object.keys(body.details).sort()).toEqual(['stt', 'tts']);
    expect(body.details.tts).toEqual({
      status: 'up',
      ready: true,
      warmPoolSize: 2,
      warmPoolTarget: 2,
      size: 2,
      maxSize: 64,
      inUse: 0,
      pendingAcquires: 0,
      factory: { consecutiveFailures: 0, backoffRemainingMs: 0, lastError: null },
    });
  });

  it('GET /health/ready is 503 naming the pool that is not ready', async () => {
    testApp.pools.get('stt')?.update({
      ready: false,
      factory: { consecutiveFailures: 2, backoffRemainingMs: 1000, lastError: 'connect ECONNREFUSED' },
    });
    const res = await request(app.getHttpServer()).get('/health/ready').expect(503);
    const body = res.body as HealthBody;
    expect(body.status).toBe('error');
    expect(Object.keys(body.error ?? {})).toEqual(['stt']);
    expect(body.error?.stt).toMatchObject({
      status: 'down',
      reason: expect.stringContaining('ECONNREFUSED'),
    });
    expect(body.info?.tts.status).toBe('up');
  });

  it('GET /health/ready is 503 once shutdown has begun, though the pools are fine', async () => {
    app.get(ShutdownState).begin('SIGTERM');
    const res = await request(app.getHttpServer()).get('/health/ready').expect(503);
    expect((res.body as HealthBody).error).toEqual({
      tts: expect.objectContaining({ status: 'down', reason: 'shutting down' }),
      stt: expect.objectContaining({ status: 'down', reason: 'shutting down' }),
    });
  });
});

describe('shutdown order (e2e)', () => {
  /** Stands where SpeechPoolsModule and the gateway will: a module AppModule imports, with its own destroy hook. */
  @Injectable()
  class ShutdownProbe implements OnModuleDestroy {
    static seen: { shuttingDown: boolean; readyStatus: number } | null = null;
    static app: HttpApp | null = null;

    constructor(private readonly shutdown: ShutdownState) {}

    async onModuleDestroy(): Promise<void> {
      const app = ShutdownProbe.app;
      if (app === null) throw new Error('ShutdownProbe.app is not set');
      const res = await request(app.getHttpServer()).get('/health/ready');
      ShutdownProbe.seen = { shuttingDown: this.shutdown.isShuttingDown, readyStatus: res.status };
    }
  }

  @Module({ providers: [ShutdownProbe] })
  class ShutdownProbeModule {}

  it('readiness is 503 before any imported module starts shutting down', async () => {
    const { app } = await createTestApp({ features: [ShutdownProbeModule] });
    ShutdownProbe.app = app;
    await request(app.getHttpServer()).get('/health/ready').expect(200);
    await app.close();
    expect(ShutdownProbe.seen).toEqual({ shuttingDown: true, readyStatus: 503 });
  });
});
