import request from 'supertest';
import { FakePool, fakePoolRegistry } from '../src/testing/fake-pool';
import { createTestApp } from './support/create-test-app';

describe('GET /debug/memory (e2e)', () => {
  it('does not exist by default', async () => {
    const { app } = await createTestApp();
    try {
      const res = await request(app.getHttpServer()).get('/debug/memory').expect(404);
      expect(res.body.message).toBe('Cannot GET /debug/memory');
    } finally {
      await app.close();
    }
  });

  it('does not exist with DEBUG_ENDPOINTS=false', async () => {
    const { app } = await createTestApp({ env: { DEBUG_ENDPOINTS: 'false' } });
    try {
      await request(app.getHttpServer()).get('/debug/memory').expect(404);
    } finally {
      await app.close();
    }
  });

  it('reports memory and the pools’ books with DEBUG_ENDPOINTS=true', async () => {
    const pools = fakePoolRegistry([
      new FakePool('tts', { metrics: { resourcesCreated: 9, resourcesDestroyed: 2 } }),
      new FakePool('stt', { metrics: { resourcesCreated: 3, resourcesDestroyed: 3 } }),
    ]);
    const { app } = await createTestApp({ env: { DEBUG_ENDPOINTS: 'true' }, pools });
    try {
      const res = await request(app.getHttpServer()).get('/debug/memory').expect(200);
      expect(res.body).toEqual({
        memory: {
          rss: expect.any(Number),
          heapTotal: expect.any(Number),
          heapUsed: expect.any(Number),
          external: expect.any(Number),
          arrayBuffers: expect.any(Number),
        },
        pools: { tts: { created: 9, destroyed: 2, live: 7 }, stt: { created: 3, destroyed: 3, live: 0 } },
      });
      expect(res.body.memory.heapUsed).toBeGreaterThan(0);
    } finally {
      await app.close();
    }
  });
});
