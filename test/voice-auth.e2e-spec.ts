import { expect } from '@jest/globals';
import request from 'supertest';
import { startEmulator, type RunningEmulator } from '../src/emulator';
import {
  metricValue,
  once,
  refused,
  refusedSocket,
  startVoiceApp,
  synthesize,
  type VoiceApp,
} from './support/app/voice-harness';

jest.setTimeout(60_000);

/** A refused handshake, as the client reports it and as a bare socket sees it. */
const UNAUTHORIZED = {
  name: 'VoiceError',
  code: 'UNAUTHORIZED',
  message: expect.any(String),
  retryable: false,
};
const UNAUTHORIZED_ON_THE_WIRE = {
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
    ])('refuses %s with connect_error UNAUTHORIZED', async (_name, auth) => {
      expect(await refused(v.connect(auth))).toMatchObject(UNAUTHORIZED);
    });

    it('refuses a non-string token with connect_error UNAUTHORIZED (its code, message and retryable in data)', async () => {
      expect(await refusedSocket(v.connectRaw({ token: 12345 }))).toMatchObject(UNAUTHORIZED_ON_THE_WIRE);
    });

    it('accepts every configured key, from any address', async () => {
      expect(await v.connect({ token: 'alpha-key' }).ready()).toMatchObject({ resumed: false });
      const proxied = v.connect({
        token: 'beta-key',
        socketOptions: { extraHeaders: { 'x-forwarded-for': '203.0.113.7' } },
      });
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
      const { sessionId } = await alpha.ready();
      expect((await synthesize(alpha, { text: 'mine' })).ack.tier).toBe('warm');
      const gone = once(alpha.socket, 'disconnect');
      alpha.close();
      await gone;

      const beta = v.connect({ token: 'beta-key', sessionId });
      const stolen = await beta.ready();
      expect(stolen).toEqual({ sessionId: expect.any(String), resumed: false });
      expect(stolen.sessionId).not.toBe(sessionId);
      expect((await synthesize(beta, { text: 'not yours' })).ack.tier).not.toBe('dedicated');

      // The owner still finds it, with its synthesizer.
      const back = v.connect({ token: 'alpha-key', sessionId });
      expect(await back.ready()).toEqual({ sessionId, resumed: true });
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
      expect(await v.connect().ready()).toMatchObject({ resumed: false });
    });

    it('refuses a client that is not on loopback (here: forwarded by a local proxy)', async () => {
      const remote = v.connect({ socketOptions: { extraHeaders: { 'x-forwarded-for': '198.51.100.23' } } });
      expect(await refused(remote)).toMatchObject(UNAUTHORIZED);
    });

    it('refuses browser (Origin-bearing) handshakes: no CORS_ORIGINS means no cross-origin access', async () => {
      const browser = v.connect({ socketOptions: { extraHeaders: { origin: 'https://somewhere.example' } } });
      expect(await refused(browser)).toMatchObject({ code: 'CONNECT_FAILED' }); // not even a handshake
    });
  });

  describe('with CORS_ORIGINS', () => {
    let v: VoiceApp;

    beforeAll(async () => {
      v = await startVoiceApp({ emulator, voice: { corsOrigins: ['https://app.example'] } });
    });
    afterAll(() => v.close());

    it('accepts the configured origin over websocket and polling, with CORS headers', async () => {
      const ws = v.connect({ socketOptions: { extraHeaders: { origin: 'https://app.example' } } });
      expect(await ws.ready()).toMatchObject({ resumed: false });
      const polling = v.connect({
        socketOptions: { transports: ['polling'], extraHeaders: { origin: 'https://app.example' } },
      });
      expect((await synthesize(polling, { text: 'over long polling' })).ack).toMatchObject({ ok: true });

      const res = await request(v.app.getHttpServer())
        .get('/socket.io/?EIO=4&transport=polling')
        .set('Origin', 'https://app.example')
        .expect(200);
      expect(res.headers['access-control-allow-origin']).toBe('https://app.example');
    });

    it('refuses other origins', async () => {
      const evil = v.connect({ socketOptions: { extraHeaders: { origin: 'https://evil.example' } } });
      expect(await refused(evil)).toMatchObject({ code: 'CONNECT_FAILED' });
      const res = await request(v.app.getHttpServer())
        .get('/socket.io/?EIO=4&transport=polling')
        .set('Origin', 'https://evil.example');
      expect(res.status).toBe(403);
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    });
  });
});
