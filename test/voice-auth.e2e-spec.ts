import { expect } from '@jest/globals';
import request from 'supertest';
import { startEmulator, type RunningEmulator } from '../src/emulator';
import {
  metricValue,
  once,
  ready,
  refused,
  startVoiceApp,
  synthesize,
  type VoiceApp,
} from './support/app/voice-harness';

jest.setTimeout(60_000);

const UNAUTHORIZED = {
  message: 'UNAUTHORIZED',
  data: { code: 'UNAUTHORIZED', message: expect.any(String), retryable: false },
};

describe('voice gateway: handshake auth and CORS (e2e)', () => {
  let emulator: RunningEmulator;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, voice: 'synthetic' });
  });
  afterAll(() => emulator.close());

  describe('with VOICE_API_KEYS', () => {
    let v: VoiceApp;

    beforeAll(async () => {
      v = await startVoiceApp({
        emulator,
        voice: { apiKeys: ['alpha-key', 'beta-key'], sessionResumeGraceMs: 30_000 },
      });
    });
    afterAll(() => v.close());

    it.each([
      ['no token', {}],
      ['a wrong token', { token: 'alpha-kez' }],
      ['a prefix of a key', { token: 'alpha' }],
      ['a non-string token', { token: 12345 }],
    ])('refuses %s with connect_error UNAUTHORIZED', async (_name, auth) => {
      expect(await refused(v.connect(auth))).toMatchObject(UNAUTHORIZED);
    });

    it('accepts every configured key, from any address', async () => {
      expect(await ready(v.connect({ token: 'alpha-key' }))).toMatchObject({ resumed: false });
      const proxied = v.connect(
        { token: 'beta-key' },
        { extraHeaders: { 'x-forwarded-for': '203.0.113.7' } },
      );
      expect((await synthesize(proxied, { text: 'authenticated' })).ack).toMatchObject({ ok: true });
      expect(
        await metricValue(v.metrics, 'warmline_voice_requests_total', {
          event: 'connect',
          outcome: 'UNAUTHORIZED',
        }),
      ).toBe(4);
    });

    it('a session id cannot be taken over with another key: that gets a new session', async () => {
      const alpha = v.connect({ token: 'alpha-key' });
      const { sessionId } = await ready(alpha);
      expect((await synthesize(alpha, { text: 'mine' })).ack.tier).toBe('warm');
      const gone = once(alpha, 'disconnect');
      alpha.disconnect();
      await gone;

      const beta = v.connect({ token: 'beta-key', sessionId });
      const stolen = await ready(beta);
      expect(stolen).toEqual({ sessionId: expect.any(String), resumed: false });
      expect(stolen.sessionId).not.toBe(sessionId);
      expect((await synthesize(beta, { text: 'not yours' })).ack.tier).not.toBe('dedicated');

      // The owner still finds it, with its synthesizer.
      const back = v.connect({ token: 'alpha-key', sessionId });
      expect(await ready(back)).toEqual({ sessionId, resumed: true });
      expect((await synthesize(back, { text: 'mine again' })).ack.tier).toBe('dedicated');
    });
  });

  describe('without VOICE_API_KEYS (loopback only)', () => {
    let v: VoiceApp;

    beforeAll(async () => {
      v = await startVoiceApp({ emulator });
    });
    afterAll(() => v.close());

    it('accepts loopback clients without a token', async () => {
      expect(await ready(v.connect())).toMatchObject({ resumed: false });
    });

    it('refuses a client that is not on loopback (here: forwarded by a local proxy)', async () => {
      const remote = v.connect({}, { extraHeaders: { 'x-forwarded-for': '198.51.100.23' } });
      expect(await refused(remote)).toMatchObject(UNAUTHORIZED);
    });

    it('refuses browser (Origin-bearing) handshakes: no CORS_ORIGINS means no cross-origin access', async () => {
      const browser = v.connect({}, { extraHeaders: { origin: 'https://somewhere.example' } });
      expect((await refused(browser)).message).not.toBe('UNAUTHORIZED');
    });
  });

  describe('with CORS_ORIGINS', () => {
    let v: VoiceApp;

    beforeAll(async () => {
      v = await startVoiceApp({ emulator, voice: { corsOrigins: ['https://app.example'] } });
    });
    afterAll(() => v.close());

    it('accepts the configured origin over websocket and polling, with CORS headers', async () => {
      const ws = v.connect({}, { extraHeaders: { origin: 'https://app.example' } });
      expect(await ready(ws)).toMatchObject({ resumed: false });
      const polling = v.connect(
        {},
        { transports: ['polling'], extraHeaders: { origin: 'https://app.example' } },
      );
      expect((await synthesize(polling, { text: 'over long polling' })).ack).toMatchObject({ ok: true });

      const res = await request(v.app.getHttpServer())
        .get('/socket.io/?EIO=4&transport=polling')
        .set('Origin', 'https://app.example')
        .expect(200);
      expect(res.headers['access-control-allow-origin']).toBe('https://app.example');
    });

    it('refuses other origins', async () => {
      const evil = v.connect({}, { extraHeaders: { origin: 'https://evil.example' } });
      expect((await refused(evil)).message).not.toBe('UNAUTHORIZED');
      const res = await request(v.app.getHttpServer())
        .get('/socket.io/?EIO=4&transport=polling')
        .set('Origin', 'https://evil.example');
      expect(res.status).toBe(403);
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    });
  });
});
