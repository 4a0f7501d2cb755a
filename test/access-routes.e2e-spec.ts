import { expect, jest as jestGlobals } from '@jest/globals';
import { Logger } from '@nestjs/common';
import request from 'supertest';
import { startHttpSpeechApp } from './support/app/http-speech-app';
import { startWebApp, type WebApp } from './support/web/web-app';

jest.setTimeout(90_000);

const KEY = 'route-key-0123456789';

describe('DNS rebinding and foreign origins in loopback-only mode (e2e, no VOICE_API_KEYS)', () => {
  let service: WebApp;
  let port: number;

  beforeAll(async () => {
    service = await startWebApp({});
    port = Number(new URL(service.url).port);
  });
  afterAll(() => service.close());

  const forbidden = (res: request.Response): void => {
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body).toMatchObject({ status: 403, code: 'UNAUTHORIZED', retryable: false });
  };

  it('refuses a page under another name resolving to 127.0.0.1 (its Host), on every route', async () => {
    const evil = `evil.test:${port}`;
    forbidden(await request(service.url).get('/api/v1/voices').set('Host', evil));
    forbidden(
      await request(service.url)
        .post('/api/v1/tts')
        .set('Host', evil)
        .send({ text: 'Hi.', format: 'pcm-16k' }),
    );
    forbidden(await request(service.url).get('/api/v1/pools').set('Host', evil));
    forbidden(await request(service.url).get('/metrics').set('Host', evil));
    forbidden(await request(service.url).get('/api/docs-json').set('Host', evil));
    // Socket.IO's polling transport too: a same-origin GET carries no Origin, only the Host.
    const polling = await request(service.url).get('/socket.io/?EIO=4&transport=polling').set('Host', evil);
    expect(polling.status).toBe(403);
  });

  it('refuses a foreign Origin even with a loopback Host (a cross-site form post)', async () => {
    forbidden(
      await request(service.url)
        .post('/v1/audio/transcriptions')
        .set('Origin', `http://evil.test:${port}`)
        .field('model', 'whisper-1')
        .attach('file', Buffer.alloc(44), 'a.wav'),
    );
    forbidden(await request(service.url).get('/api/v1/voices').set('Origin', 'null'));
  });

  it('serves loopback names, and pages it served itself', async () => {
    await request(service.url).get('/api/v1/voices').set('Host', `localhost:${port}`).expect(200);
    await request(service.url)
      .get('/api/v1/voices')
      .set('Host', `localhost:${port}`)
      .set('Origin', `http://localhost:${port}`)
      .expect(200);
    await request(service.url).get('/api/v1/voices').set('Host', `[::1]:${port}`).expect(200);
  });
});

describe('which routes need a key when VOICE_API_KEYS is set (e2e)', () => {
  let service: WebApp;

  beforeAll(async () => {
    service = await startWebApp({ VOICE_API_KEYS: KEY, DEBUG_ENDPOINTS: 'true' });
  });
  afterAll(() => service.close());

  it.each(['/api/v1/pools', '/api/v1/pools/tts', '/metrics', '/debug/memory'])(
    '%s: 401 without a key, 200 with one',
    async (path) => {
      const refused = await request(service.url).get(path).expect(401);
      expect(refused.body).toMatchObject({ code: 'UNAUTHORIZED' });
      await request(service.url).get(path).auth(KEY, { type: 'bearer' }).expect(200);
    },
  );

  it.each(['/health/live', '/health/ready', '/api/docs-json'])('%s stays public', async (path) => {
    await request(service.url).get(path).expect(200);
  });

  it('with METRICS_PUBLIC=true, /metrics answers a scraper without a key', async () => {
    const open = await startWebApp({ VOICE_API_KEYS: KEY, METRICS_PUBLIC: 'true' });
    try {
      await request(open.url).get('/metrics').expect(200);
      await request(open.url).get('/api/v1/pools').expect(401);
    } finally {
      await open.close();
    }
  });
});

describe('failed authentication (e2e)', () => {
  it('is throttled per address (429, even for the right key), and logged as one line with a count', async () => {
    const warn = jestGlobals.spyOn(Logger.prototype, 'warn');
    const service = await startHttpSpeechApp({
      http: { apiKeys: [KEY] },
      // A rate no test run gets near, so refilling cannot race the assertions; the log line comes at shutdown.
      access: { authFailureBurst: 3, authFailuresPerSecond: 0.001, authFailureLogIntervalMs: 3_600_000 },
    });
    try {
      const voices = (key: string) =>
        request(service.url).get('/api/v1/voices').auth(key, { type: 'bearer' });
      for (let i = 0; i < 3; i++) await voices(`wrong-key-${i}-0123456789`).expect(401);
      for (let i = 0; i < 20; i++) {
        const throttled = await voices(`wrong-key-again-${i}`).expect(429);
        expect(throttled.body).toMatchObject({ code: 'RATE_LIMITED', retryable: true });
        expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(1);
      }
      await voices(KEY).expect(429);
      const accessLines = (): string[] =>
        warn.mock.calls
          .map((call) => String(call[0]))
          .filter((line) => line.includes('failed authentication'));
      expect(accessLines()).toEqual([]);
      await service.close();
      expect(accessLines()).toEqual([
        expect.stringMatching(
          /^3 failed authentication\(s\) and 21 attempt\(s\) refused .* from 1 address\(es\)/,
        ),
      ]);
    } finally {
      warn.mockRestore();
      await service.close();
    }
  });
});
