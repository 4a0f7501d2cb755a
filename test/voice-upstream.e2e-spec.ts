import { expect } from '@jest/globals';
import { startEmulator, type RunningEmulator } from '../src/emulator';
import {
  closeAll,
  poolsSettled,
  startVoiceApp,
  synthesize,
  waitFor,
  type VoiceApp,
} from './support/app/voice-harness';

jest.setTimeout(60_000);

describe('voice gateway: pool and upstream failures (e2e)', () => {
  let emulator: RunningEmulator;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, voice: 'synthetic' });
  });
  afterEach(() => emulator.setFaults({}));
  afterAll(() => emulator.close());

  describe('a tiny pool', () => {
    let v: VoiceApp;

    beforeAll(async () => {
      v = await startVoiceApp({
        emulator,
        pools: {
          tts: { warmSize: 1, maxSize: 1, voice: 'en-US-JennyNeural' },
          stt: { warmSize: 1, maxSize: 1, language: 'en-US' },
          acquireTimeoutMs: 300,
        },
      });
    });
    afterAll(() => v.close());

    it("reclaims an idle session's synthesizer at the cap instead of failing the waiting request", async () => {
      const owner = v.connect();
      await owner.ready();
      const other = v.connect();
      await other.ready();

      // The owner's session keeps the only synthesizer (DEDICATED) between requests, but is not using it.
      expect((await synthesize(owner, { text: 'mine' })).ack).toMatchObject({ ok: true, tier: 'warm' });
      expect((await synthesize(other, { text: 'my turn' })).ack).toMatchObject({ ok: true, tier: 'warm' });
      expect((await synthesize(owner, { text: 'mine again' })).ack).toMatchObject({ ok: true, tier: 'warm' });
      expect((await synthesize(owner, { text: 'still mine' })).ack).toMatchObject({
        ok: true,
        tier: 'dedicated',
      });
      expect(v.tts.snapshot()).toMatchObject({ size: 1, metrics: { acquireTimeouts: 0 } });
    });

    it('answers POOL_EXHAUSTED (retryable) when every client is in use for longer than the acquire timeout', async () => {
      const owner = v.connect();
      await owner.ready();
      const other = v.connect();
      await other.ready();

      emulator.setFaults({ firstByteLatencyMs: 1_500 });
      const speaking = synthesize(owner, { text: 'a slow answer' });
      await waitFor(() => v.tts.snapshot().inUse === 1, 'the owner is speaking');
      await expect(other.synthesize({ text: 'none left' })).rejects.toMatchObject({
        code: 'POOL_EXHAUSTED',
        message: expect.stringContaining('300 ms'),
        retryable: true,
      });
      // The busy owner was not robbed: its synthesis completes.
      expect((await speaking).ack).toMatchObject({ ok: true });
      emulator.setFaults({});

      const listening = owner.recognize();
      expect(await listening.started).toMatchObject({ ok: true, tier: 'warm' });
      await expect(other.recognize().started).rejects.toMatchObject({
        code: 'POOL_EXHAUSTED',
        retryable: true,
      });
      expect(await listening.stop()).toMatchObject({ ok: true });
      // The used recognizer is destroyed and replaced in the background: then the other session is served.
      await waitFor(() => v.stt.snapshot().warmPoolSize === 1, 'a replacement recognizer');
      const served = other.recognize();
      expect(await served.started).toMatchObject({ ok: true });
      expect(await served.stop()).toMatchObject({ ok: true });
      expect(v.tts.snapshot().size).toBe(1);
    });
  });

  describe('an upstream that hangs', () => {
    let v: VoiceApp;

    beforeAll(async () => {
      v = await startVoiceApp({ emulator, pools: { synthesisTimeoutMs: 400 } });
    });
    afterAll(() => v.close());

    it('fails a synthesis that outlives its deadline with TIMEOUT (retryable) and replaces that synthesizer', async () => {
      const client = v.connect();
      await client.ready();
      expect((await synthesize(client, { text: 'quick' })).ack).toMatchObject({ ok: true, tier: 'warm' });
      const destroyed = v.tts.snapshot().metrics.resourcesDestroyed;
      emulator.setFaults({ firstByteLatencyMs: 2_000 });
      await expect(client.synthesize({ text: 'stuck upstream' })).rejects.toMatchObject({
        code: 'TIMEOUT',
        message: expect.stringContaining('400 ms'),
        retryable: true,
      });
      emulator.setFaults({});
      await waitFor(
        () => v.tts.snapshot().metrics.resourcesDestroyed > destroyed,
        'the hung client destroyed',
      );
      expect((await synthesize(client, { text: 'fresh synthesizer' })).ack).toMatchObject({ ok: true });
      v.sessions.endAll();
      await poolsSettled(v);
    });
  });

  describe('an upstream that throttles or drops', () => {
    let v: VoiceApp;

    beforeAll(async () => {
      // No warm clients: every allocation opens a new upstream socket, which the emulator can refuse.
      v = await startVoiceApp({
        emulator,
        pools: {
          tts: { warmSize: 0, maxSize: 8, voice: 'en-US-JennyNeural' },
          stt: { warmSize: 0, maxSize: 8, language: 'en-US' },
        },
      });
    });
    afterAll(() => v.close());

    it('maps a refused upstream connection (HTTP 429) to UPSTREAM_THROTTLED (retryable)', async () => {
      const client = v.connect();
      await client.ready();
      emulator.setFaults({ maxConnections: emulator.stats().connectionsOpen });
      await expect(client.synthesize({ text: 'throttled' })).rejects.toMatchObject({
        code: 'UPSTREAM_THROTTLED',
        message: expect.stringContaining('429'),
        retryable: true,
      });
      await expect(client.recognize().started).rejects.toMatchObject({
        code: 'UPSTREAM_THROTTLED',
        retryable: true,
      });

      emulator.setFaults({ rejectNext: 1 });
      await expect(client.synthesize({ text: 'throttled once' })).rejects.toMatchObject({
        code: 'UPSTREAM_THROTTLED',
      });
      // The retry the error invites succeeds.
      expect((await synthesize(client, { text: 'accepted now' })).ack).toMatchObject({
        ok: true,
        tier: 'cold',
      });
    });

    it('fails a synthesis dropped mid-stream with UPSTREAM_UNAVAILABLE and replaces the broken synthesizer', async () => {
      const client = v.connect();
      await client.ready();
      expect((await synthesize(client, { text: 'first one is fine' })).ack).toMatchObject({ ok: true });
      const destroyed = v.tts.snapshot().metrics.resourcesDestroyed;
      emulator.setFaults({ dropMidStreamNext: 1 });
      const dropped = client.synthesize({
        text: 'this one is cut off in the middle of a rather long sentence',
        requestId: 'dropped',
      });
      await expect(dropped).rejects.toMatchObject({
        code: 'UPSTREAM_UNAVAILABLE',
        message: expect.any(String),
        retryable: true,
      });
      await waitFor(
        () => v.tts.snapshot().metrics.resourcesDestroyed === destroyed + 1,
        'the broken client destroyed',
      );
      // Not the broken one again: a new client, and the session works as before.
      const next = await synthesize(client, { text: 'and on we go' });
      expect(next.ack).toMatchObject({ ok: true, tier: 'cold' });
      expect((await synthesize(client, { text: 'and on' })).ack).toMatchObject({
        ok: true,
        tier: 'dedicated',
      });
    });

    it('nothing leaked after all that', async () => {
      closeAll(v.clients);
      v.sessions.endAll();
      await poolsSettled(v);
    });
  });
});
