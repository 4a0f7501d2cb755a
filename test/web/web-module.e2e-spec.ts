import type { HttpApp } from '../support/app/http-app';
import type { PoolsResponse } from '../../src/speech-pools/pools.controller';
import type { IncomingMessage } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io, type Socket as ClientSocket } from 'socket.io-client';
import request from 'supertest';
import type { FakePool } from '../support/pools/fake-pool';
import { waitFor } from '../support/wait-for';
import { voiceServerOptions } from '../../src/voice/voice-io.adapter';
import { resolveVoiceSettings } from '../../src/voice/voice-options';
import type { DashboardFrame, DashboardHistory } from '../../src/web/dashboard/dashboard-frame';
import { WebModule } from '../../src/web/web.module';
import { createTestApp } from '../support/app/create-test-app';
import { ensureWebBundle } from '../support/web/web-bundle';

const DASH_KEY = 'dash-key-0123456789';

/** The web module over real HTTP and Socket.IO, with fake pools (no browser: see web-pages.e2e-spec.ts). */
describe('web module (e2e)', () => {
  describe('pages and assets', () => {
    let app: HttpApp;

    beforeAll(async () => {
      await ensureWebBundle();
      ({ app } = await createTestApp({ features: [WebModule.forRoot({})] }));
    });

    afterAll(() => app.close());

    it.each(['/', '/dashboard'])(
      'serves %s as HTML with a self-only Content-Security-Policy',
      async (path) => {
        const res = await request(app.getHttpServer()).get(path).expect(200);
        expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
        const csp = res.headers['content-security-policy'];
        expect(csp).toContain("default-src 'none'");
        expect(csp).toContain("script-src 'self'");
        expect(csp).toContain("connect-src 'self'");
        expect(csp).not.toContain('unsafe');
        expect(res.headers['x-content-type-options']).toBe('nosniff');
        // Nothing inline, nothing from elsewhere.
        expect(res.text).not.toMatch(/<script(?![^>]*\bsrc="\/assets\/)/);
        expect(res.text).not.toMatch(/\b(src|href)="(https?:)?\/\//);
      },
    );

    it('serves the bundle with revalidation by ETag', async () => {
      const res = await request(app.getHttpServer()).get('/assets/demo.js').expect(200);
      expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
      expect(res.headers['cache-control']).toBe('no-cache');
      await request(app.getHttpServer())
        .get('/assets/demo.js')
        .set('If-None-Match', res.headers.etag)
        .expect(304);
      await request(app.getHttpServer()).get('/assets/mic-worklet.js').expect(200);
      await request(app.getHttpServer()).get('/assets/dashboard.css').expect(200);
    });

    it.each(['/assets/nope.js', '/assets/..%2Fpackage.json', '/assets/.hidden.js', '/assets/demo.html'])(
      'answers 404 for %s',
      async (path) => {
        await request(app.getHttpServer()).get(path).expect(404);
      },
    );
  });

  it('says how to build the pages when the bundle is missing', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'warmline-no-web-'));
    const { app } = await createTestApp({ features: [WebModule.forRoot({ assetsDir: empty })] });
    try {
      const res = await request(app.getHttpServer()).get('/').expect(503);
      expect((res.body as { message: string }).message).toContain('npm run build');
    } finally {
      await app.close();
      await rm(empty, { recursive: true, force: true });
    }
  });

  describe('dashboard stream (/dashboard namespace)', () => {
    let app: HttpApp;
    let pools: Map<string, FakePool>;
    let url: string;
    const sockets: ClientSocket[] = [];
    const connect = (auth: Record<string, string>): ClientSocket => {
      const socket = io(`${url}/dashboard`, {
        auth,
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
      });
      sockets.push(socket);
      return socket;
    };

    beforeAll(async () => {
      ({ app, pools } = await createTestApp({
        env: { VOICE_API_KEYS: DASH_KEY },
        features: [WebModule.forRoot({ refreshIntervalMs: 50, latencyWindowMs: 500 })],
      }));
      await app.listen(0, '127.0.0.1');
      url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
    });

    afterAll(async () => {
      for (const socket of sockets) socket.disconnect();
      await app.close();
    });

    it('refuses a viewer without a valid key like the voice API (UNAUTHORIZED)', async () => {
      for (const auth of [{}, { token: 'wrong' }] as Array<Record<string, string>>) {
        const error = await new Promise<Error & { data?: unknown }>((resolve) =>
          connect(auth).once('connect_error', resolve),
        );
        expect(error.message).toBe('UNAUTHORIZED');
        expect(error.data).toMatchObject({ code: 'UNAUTHORIZED', retryable: false });
      }
    });

    it('sends the history, then a frame every refresh with the snapshots /api/v1/pools serves', async () => {
      const socket = connect({ token: DASH_KEY });
      const history = await new Promise<DashboardHistory>((resolve) =>
        socket.once('dashboard.history', resolve),
      );
      expect(history).toMatchObject({ intervalMs: 50, latencyWindowMs: 500 });
      expect(Array.isArray(history.points)).toBe(true);

      const frame = await new Promise<DashboardFrame>((resolve) => socket.once('dashboard.frame', resolve));
      const api = (
        await request(app.getHttpServer()).get('/api/v1/pools').auth(DASH_KEY, { type: 'bearer' }).expect(200)
      ).body as PoolsResponse;
      expect({ ...frame.pools.tts, metrics: { ...frame.pools.tts.metrics, timestamp: 0 } }).toEqual({
        ...api.pools.tts,
        metrics: { ...api.pools.tts.metrics, timestamp: 0 },
      });
      expect(frame.point.firstByteMs).toBeNull(); // no voice gateway in this app
    });

    it('charts allocations per second by tier from the pools’ counters', async () => {
      const socket = connect({ token: DASH_KEY });
      const frames: DashboardFrame[] = [];
      socket.on('dashboard.frame', (frame: DashboardFrame) => frames.push(frame));
      await new Promise((resolve) => socket.once('dashboard.frame', resolve));
      const tts = pools.get('tts')!;
      const before = tts.snapshot().metrics;
      tts.update({
        metrics: { allocationsWarm: before.allocationsWarm + 4, allocationsCold: before.allocationsCold + 1 },
      });
      const charted = (tier: 'warm' | 'cold' | 'dedicated'): number =>
        frames.reduce((sum, f, i) => {
          const dt = i === 0 ? 0 : (f.point.at - frames[i - 1].point.at) / 1000;
          return sum + f.point.allocations.tts[tier] * dt;
        }, 0);
      await waitFor(
        () => Math.round(charted('warm')) >= 4 && Math.round(charted('cold')) >= 1,
        'charted allocations',
      );
      expect(Math.round(charted('warm'))).toBe(4);
      expect(Math.round(charted('cold'))).toBe(1);
      expect(charted('dedicated')).toBe(0);
    });
  });

  describe("the voice socket accepts the service's own pages", () => {
    const allows = (apiKeys: string[], headers: Record<string, string>): Promise<boolean> =>
      new Promise((resolve) => {
        const options = voiceServerOptions(
          resolveVoiceSettings({ corsOrigins: [], sessionResumeGraceMs: 0 }),
          apiKeys.length > 0,
        );
        options.allowRequest!({ headers } as unknown as IncomingMessage, (_err, ok) => resolve(ok));
      });

    it('from the same origin, on a loopback name, with or without keys', async () => {
      expect(await allows([], { origin: 'http://localhost:3000', host: 'localhost:3000' })).toBe(true);
      expect(await allows([], { origin: 'http://127.0.0.1:3000', host: '127.0.0.1:3000' })).toBe(true);
      expect(await allows(['k'], { origin: 'https://voice.example', host: 'voice.example' })).toBe(true);
    });

    it('not from another origin, nor under a public name without keys (DNS rebinding)', async () => {
      expect(await allows([], { origin: 'https://evil.example', host: 'localhost:3000' })).toBe(false);
      expect(await allows([], { origin: 'http://evil.example:3000', host: 'evil.example:3000' })).toBe(false);
      expect(await allows(['k'], { origin: 'http://other.example', host: 'voice.example' })).toBe(false);
    });
  });
});
