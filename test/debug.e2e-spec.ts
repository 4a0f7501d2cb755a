import { expect } from '@jest/globals';
import type { MemoryReport } from '../src/debug/memory-report';
import type { HttpApp } from './support/app/http-app';
import request from 'supertest';
import { startEmulator, type RunningEmulator } from '../src/emulator';
import type { ResourcePool } from '../src/pools';
import { STT_POOL, TTS_POOL } from '../src/speech-pools/pool-tokens';
import type { TtsClient } from '../src/speech/tts-client';
import { textToSsml } from '../src/speech/ssml';
import { FakePool, fakePoolRegistry } from './support/pools/fake-pool';
import { createRealApp } from './support/app/create-real-app';
import { createTestApp } from './support/app/create-test-app';

const count = { created: expect.any(Number), collected: expect.any(Number), live: expect.any(Number) };

describe('GET /debug/memory (e2e)', () => {
  it('does not exist by default', async () => {
    const { app } = await createTestApp();
    try {
      const res = await request(app.getHttpServer()).get('/debug/memory').expect(404);
      expect((res.body as { message: string }).message).toBe('Cannot GET /debug/memory');
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

  it('reports memory, the pools’ books and the SDK object counts with DEBUG_ENDPOINTS=true', async () => {
    const pools = fakePoolRegistry([
      new FakePool('tts', { metrics: { resourcesCreated: 9, resourcesDestroyed: 2 } }),
      new FakePool('stt', { metrics: { resourcesCreated: 3, resourcesDestroyed: 3 } }),
    ]);
    const { app } = await createTestApp({ env: { DEBUG_ENDPOINTS: 'true' }, pools });
    try {
      const res = await request(app.getHttpServer()).get('/debug/memory').expect(200);
      expect(res.body).toEqual({
        gc: false,
        memory: {
          rss: expect.any(Number),
          heapTotal: expect.any(Number),
          heapUsed: expect.any(Number),
          external: expect.any(Number),
          arrayBuffers: expect.any(Number),
        },
        pools: { tts: { created: 9, destroyed: 2, live: 7 }, stt: { created: 3, destroyed: 3, live: 0 } },
        sdkObjects: { synthesizers: count, recognizers: count, connections: count },
      });
      expect((res.body as MemoryReport).memory.heapUsed).toBeGreaterThan(0);
    } finally {
      await app.close();
    }
  });

  it('?gc=true collects garbage first; a value that is not a boolean is a 400', async () => {
    const { app } = await createTestApp({ env: { DEBUG_ENDPOINTS: 'true' } });
    try {
      const server = app.getHttpServer();
      const gc = async (query: string) =>
        ((await request(server).get(`/debug/memory?gc=${query}`).expect(200)).body as MemoryReport).gc;
      expect(await gc('true')).toBe(true);
      expect(await gc('false')).toBe(false);
      await request(server).get('/debug/memory?gc=please').expect(400);
    } finally {
      await app.close();
    }
  });

  describe('with real speech clients', () => {
    let emulator: RunningEmulator;
    let app: HttpApp;

    beforeAll(async () => {
      emulator = await startEmulator({ port: 0, voice: 'synthetic' });
      app = await createRealApp({
        AZURE_SPEECH_HOST: emulator.url,
        AZURE_SPEECH_KEY: 'test-key',
        SPEECH_POOL_TTS_WARM_SIZE: '2',
        SPEECH_POOL_STT_WARM_SIZE: '1',
        DEBUG_ENDPOINTS: 'true',
      });
    });
    afterAll(async () => {
      await app.close();
      await emulator.close();
    });

    /** SDK objects alive after a collection, next to the clients the pools say exist. */
    async function liveCounts(): Promise<{ sdk: Record<string, number>; pools: Record<string, number> }> {
      const res = await request(app.getHttpServer()).get('/debug/memory?gc=true').expect(200);
      const body = res.body as MemoryReport;
      return {
        sdk: {
          synthesizers: body.sdkObjects.synthesizers.live,
          recognizers: body.sdkObjects.recognizers.live,
          connections: body.sdkObjects.connections.live,
        },
        pools: { tts: body.pools.tts.live, stt: body.pools.stt.live },
      };
    }

    /** The SDK objects the pools' live clients account for: a synthesizer or recognizer, and a connection, each. */
    const expected = (pools: Record<string, number>): Record<string, number> => ({
      synthesizers: pools.tts,
      recognizers: pools.stt,
      connections: pools.tts + pools.stt,
    });

    /**
     * Collects until the counts balance, for up to 5 s: refills and disposals run in the background, and a
     * finalization callback may run a few loop turns after its collection on a busy machine. A leak never balances.
     */
    async function balancedCounts(): ReturnType<typeof liveCounts> {
      let counts = await liveCounts();
      for (const until = Date.now() + 5_000; Date.now() < until; counts = await liveCounts()) {
        if (JSON.stringify(counts.sdk) === JSON.stringify(expected(counts.pools))) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return counts;
    }

    it('after a collection the live SDK objects are exactly the pools’ live clients', async () => {
      const counts = await balancedCounts();
      expect(counts.pools).toEqual({ tts: 2, stt: 1 });
      expect(counts.sdk).toEqual({ synthesizers: 2, recognizers: 1, connections: 3 });
    });

    it('and stay so after clients were used, canceled and replaced', async () => {
      const tts = app.get<ResourcePool<TtsClient>>(TTS_POOL);
      const stt = app.get<ResourcePool<{ dispose(): Promise<void> }>>(STT_POOL);
      for (let i = 0; i < 3; i++) {
        const client = await tts.acquire();
        const abort = new AbortController();
        await client.synthesize({
          ssml: textToSsml(`request ${i} is canceled after its first chunk`, 'en-US-JennyNeural'),
          signal: abort.signal,
          onChunk: () => abort.abort(),
        });
        await tts.release(client);
      }
      await stt.release(await stt.acquire());
      const counts = await balancedCounts();
      expect(counts.sdk).toEqual(expected(counts.pools));
    });
  });
});
