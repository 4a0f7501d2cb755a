import {
  closeAll,
  dropConnection,
  metricValue,
  once,
  poolsSettled,
  startVoiceApp,
  synthesize,
  waitFor,
  waitForMetric,
  type VoiceApp,
} from './support/app/voice-harness';

jest.setTimeout(60_000);

describe('voice gateway: sessions, resume and release (e2e)', () => {
  let v: VoiceApp;

  /** Every session ended, both pools idle with balanced books, and the emulator seeing only their clients. */
  async function everythingReleased(): Promise<void> {
    await waitFor(() => v.sessions.size === 0, 'every session ended', 20_000);
    await waitFor(() => v.tts.snapshot().activeSessions === 0, 'TTS sessions released', 20_000);
    await poolsSettled(v);
    // Released clients stay warm up to warmPoolMax (until trimmed): every socket upstream is one a pool holds.
    await waitFor(
      () => v.emulator.stats().connectionsOpen === v.tts.snapshot().size + v.stt.snapshot().size,
      "upstream clients are exactly the pools' clients",
    );
    expect(v.tts.snapshot().size).toBeLessThanOrEqual(v.tts.snapshot().warmPoolMax);
  }

  beforeAll(async () => {
    // Long enough to reconnect within, short enough to wait out.
    v = await startVoiceApp({ voice: { sessionResumeGraceMs: 1_500 } });
  });
  afterEach(() => {
    closeAll(v.clients);
    v.emulator.setFaults({});
  });
  afterAll(() => v.close());

  it('a reconnect within the grace resumes the session and finds its synthesizer still DEDICATED', async () => {
    const first = v.connect();
    const { sessionId } = await first.ready();
    expect((await synthesize(first, { text: 'before the reconnect' })).ack.tier).toBe('warm');
    const gone = once(first.socket, 'disconnect');
    first.close();
    await gone;
    expect(v.tts.snapshot().activeSessions).toBe(1);

    const again = v.connect({ sessionId });
    expect(await again.ready()).toEqual({ sessionId, resumed: true });
    expect((await synthesize(again, { text: 'after the reconnect' })).ack.tier).toBe('dedicated');
    expect(
      await metricValue(v.metrics, 'warmline_voice_requests_total', { event: 'connect', outcome: 'resumed' }),
    ).toBe(1);
    expect(await metricValue(v.metrics, 'warmline_voice_sessions', { state: 'connected' })).toBe(1);
  });

  it('an unknown or expired session id gets a new session', async () => {
    const client = v.connect({ sessionId: 'not-a-session-we-know' });
    const info = await client.ready();
    expect(info.resumed).toBe(false);
    expect(info.sessionId).not.toBe('not-a-session-we-know');
  });

  it('the same client reconnecting while its old client still looks alive takes the session over', async () => {
    const old = v.connect();
    const { sessionId } = await old.ready();
    const kicked = once<string>(old.socket, 'disconnect');
    const fresh = v.connect({ sessionId });
    expect(await fresh.ready()).toEqual({ sessionId, resumed: true });
    expect(await kicked).toBe('io server disconnect');
    expect((await synthesize(fresh, { text: 'still mine' })).ack.ok).toBe(true);
  });

  it('after the grace every client goes back: the books balance and upstream clients return to the warm level', async () => {
    const clients = [v.connect(), v.connect(), v.connect()];
    for (const client of clients) {
      await client.ready();
      expect((await synthesize(client, { text: 'hold a synthesizer' })).ack.ok).toBe(true);
    }
    expect(v.tts.snapshot().activeSessions).toBeGreaterThanOrEqual(3);
    for (const client of clients) client.close();
    await everythingReleased();
    expect(await metricValue(v.metrics, 'warmline_voice_sessions', { state: 'resumable' })).toBe(0);
  });

  it('an abrupt disconnect mid-synthesis aborts it and releases everything after the grace', async () => {
    const client = v.connect();
    await client.ready();
    await synthesize(client, { text: 'warm up' });
    v.emulator.setFaults({ firstByteLatencyMs: 1_000 });
    const syntheses = v.emulator.stats().syntheses;
    client.synthesize({ text: 'never heard', requestId: 'cut' }).catch(() => undefined); // the answer never comes
    await waitFor(() => v.emulator.stats().syntheses > syntheses, 'the synthesis reached the emulator');
    dropConnection(client);
    await waitForMetric(v.metrics, 'warmline_voice_sessions', { state: 'resumable' }, (n) => n === 1);
    // The cut turn may still be running upstream: the session does not keep that synthesizer.
    await waitFor(() => v.tts.snapshot().activeSessions === 0, 'the synthesizer went back to the pool');
    expect(v.sessions.size).toBe(1);
    v.emulator.setFaults({});
    await everythingReleased();
  });

  it('an abrupt disconnect mid-recognition releases the recognizer at once', async () => {
    const client = v.connect();
    await client.ready();
    const recognition = client.recognize();
    expect(await recognition.started).toMatchObject({ ok: true });
    recognition.send(Buffer.alloc(3_200));
    expect(v.stt.snapshot().inUse).toBe(1);
    dropConnection(client);
    // Single-use: destroyed and replaced, while the session itself is still in its grace.
    await waitFor(() => v.stt.snapshot().inUse === 0, 'recognizer released');
    expect(v.sessions.size).toBe(1);
    await everythingReleased();
  });
});

describe('voice gateway: a session idle past SPEECH_POOL_MAX_IDLE (e2e)', () => {
  let v: VoiceApp;
  beforeAll(async () => {
    // The pool's maintenance applies the idle policy: run it often enough to see it within the test.
    v = await startVoiceApp({ pools: { maxIdleMs: 400, warmupIntervalMs: 100 } });
  });
  afterAll(() => v.close());

  it('hands its synthesizer back to the pool (where it is kept fresh); the next request is served WARM', async () => {
    const client = v.connect();
    await client.ready();
    expect((await synthesize(client, { text: 'one' })).ack).toMatchObject({ ok: true, tier: 'warm' });
    expect((await synthesize(client, { text: 'two' })).ack).toMatchObject({ ok: true, tier: 'dedicated' });
    expect(v.tts.snapshot().activeSessions).toBe(1);

    await waitFor(() => v.tts.snapshot().activeSessions === 0, 'the idle synthesizer handed back');
    await poolsSettled(v);
    expect((await synthesize(client, { text: 'three' })).ack).toMatchObject({ ok: true, tier: 'warm' });
  });
});
