import { expect } from '@jest/globals';
import {
  collectAudio,
  metricValue,
  poolsSettled,
  ready,
  recognise,
  request,
  startVoiceApp,
  stopReading,
  synthesize,
  waitForMetric,
  words,
  type AudioChunk,
  type VoiceApp,
} from './support/app/voice-harness';

jest.setTimeout(60_000);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('voice gateway: tts.synthesize (e2e, real SDK against the emulator)', () => {
  let v: VoiceApp;

  beforeAll(async () => {
    v = await startVoiceApp();
  });
  afterEach(() => {
    for (const client of v.clients.splice(0)) client.disconnect();
    v.emulator.setFaults({});
  });
  afterAll(() => v.close());

  it('allocates WARM first, then DEDICATED for the same session; a new session starts WARM again', async () => {
    const a = v.connect();
    expect(await ready(a)).toEqual({ sessionId: expect.stringMatching(UUID), resumed: false });
    const tiers: unknown[] = [];
    for (const text of ['first request', 'second request', 'third request']) {
      tiers.push((await synthesize(a, { text })).ack.tier);
    }
    expect(tiers).toEqual(['warm', 'dedicated', 'dedicated']);

    const b = v.connect();
    await ready(b);
    expect((await synthesize(b, { text: 'another session' })).ack.tier).toBe('warm');
    const histogram = await v.metrics.getSingleMetricAsString('warmline_voice_tts_first_byte_seconds');
    expect(histogram).toMatch(/warmline_voice_tts_first_byte_seconds_count\{tier="dedicated"\} 2/);
    expect(histogram).toMatch(/warmline_voice_tts_first_byte_seconds_count\{tier="warm"\} 2/);
  });

  it('streams chunks in order, acks after the last one, and the ack counts exactly the bytes sent', async () => {
    const socket = v.connect();
    await ready(socket);
    const events: string[] = [];
    socket.on('tts.audio', (chunk: AudioChunk) => events.push(`audio ${chunk.seq}`));
    const { ack, chunks, audio } = await synthesize(socket, {
      text: 'The quick brown fox jumps over the lazy dog, twice, and then once more for luck.',
      format: 'pcm-24k',
      requestId: 'ordered-1',
    });
    events.push('ack');

    expect(ack).toEqual({
      ok: true,
      requestId: 'ordered-1',
      tier: 'warm',
      firstByteMs: expect.any(Number),
      totalMs: expect.any(Number),
      bytes: audio.length,
    });
    expect(Object.keys(ack).sort()).toEqual(['bytes', 'firstByteMs', 'ok', 'requestId', 'tier', 'totalMs']);
    expect(ack.totalMs as number).toBeGreaterThanOrEqual(ack.firstByteMs as number);
    expect(chunks.length).toBeGreaterThan(1); // streamed, not one buffered blob
    expect(chunks.map((c) => c.seq)).toEqual(chunks.map((_c, i) => i));
    expect(chunks.every((c) => c.requestId === 'ordered-1' && Buffer.isBuffer(c.audio))).toBe(true);
    expect(audio.length % 2).toBe(0);
    expect(events[events.length - 1]).toBe('ack');
    expect(events.filter((e) => e === 'ack')).toHaveLength(1);
  });

  it('produces the byte rate of each format for the same text', async () => {
    const socket = v.connect();
    await ready(socket);
    const text = 'Formats differ only in their sample rate.';
    const bytes: Record<string, number> = {};
    for (const format of ['pcm-16k', 'pcm-24k', 'pcm-48k']) {
      const { ack, audio } = await synthesize(socket, { text, format });
      expect(ack.bytes).toBe(audio.length);
      bytes[format] = audio.length;
    }
    expect(bytes['pcm-24k'] / bytes['pcm-16k']).toBeCloseTo(1.5, 1);
    expect(bytes['pcm-48k'] / bytes['pcm-16k']).toBeCloseTo(3, 1);
  });

  it('generates a requestId when the client gives none', async () => {
    const socket = v.connect();
    await ready(socket);
    const audio = collectAudio(socket);
    const ack = await request(socket, 'tts.synthesize', { text: 'no id given' });
    expect(ack).toMatchObject({ ok: true, requestId: expect.stringMatching(UUID) });
    expect(audio.get(ack.requestId as string)?.length).toBeGreaterThan(0);
  });

  it('speaks text with markup characters literally (synthesis → recognition round trip)', async () => {
    const socket = v.connect();
    await ready(socket);
    const text = 'Tom <b>and</b> "Jerry" & friends </speak> say 5 > 3 & 2 < 4';
    const { ack, audio } = await synthesize(socket, { text, format: 'pcm-16k' });
    expect(ack.ok).toBe(true);
    const heard = await recognise(socket, audio, { sampleRate: 16_000 });
    expect(heard.finals.map((f) => f.text).join(' ')).toBe(text);
  });

  it('accepts SSML and a voice name', async () => {
    const socket = v.connect();
    await ready(socket);
    const ssml =
      '<speak version="1.0" xmlns="http://www.w3.org/2001/10/synthesis" xml:lang="en-GB">' +
      '<voice name="en-GB-SoniaNeural">Tea &amp; biscuits<break time="200ms"/> at four.</voice></speak>';
    const fromSsml = await synthesize(socket, { ssml, format: 'pcm-16k' });
    expect(fromSsml.ack).toMatchObject({ ok: true, bytes: fromSsml.audio.length });
    const heard = await recognise(socket, fromSsml.audio, { sampleRate: 16_000 });
    expect(words(heard.finals.map((f) => f.text).join(' '))).toBe('tea biscuits at four');

    const withVoice = await synthesize(socket, { text: 'Guten Tag', voice: 'de-DE-KatjaNeural' });
    expect(withVoice.ack).toMatchObject({ ok: true, tier: 'dedicated' });
  });

  it('tts.cancel of the running request: canceled ack with the bytes sent so far, and no further audio', async () => {
    const socket = v.connect();
    await ready(socket);
    await synthesize(socket, { text: 'warm up this session' });
    const audio = collectAudio(socket);
    // Hold the first byte upstream so the request is certainly in flight when the cancel arrives.
    v.emulator.setFaults({ firstByteLatencyMs: 1_500 });
    const synthesis = request(socket, 'tts.synthesize', {
      text: 'this will be canceled',
      requestId: 'doomed',
    });
    const cancel = request(socket, 'tts.cancel', { requestId: 'doomed' });
    expect(await cancel).toEqual({ ok: true });
    expect(await synthesis).toEqual({
      ok: true,
      requestId: 'doomed',
      canceled: true,
      tier: 'dedicated',
      firstByteMs: null,
      totalMs: expect.any(Number),
      bytes: 0,
    });
    v.emulator.setFaults({});
    // A turn still stopping upstream finishes off to the side (the next request is WARM); a synthesizer whose
    // turn had not started is kept (DEDICATED). By the next ack, any stray chunk of the canceled request would
    // have arrived (one socket, in order).
    const after = await synthesize(socket, { text: 'still works afterwards' });
    expect(after.ack).toMatchObject({ ok: true, tier: expect.stringMatching(/^(warm|dedicated)$/) });
    expect(audio.get('doomed')).toBeUndefined();
    expect(
      await metricValue(v.metrics, 'warmline_voice_requests_total', {
        event: 'tts.synthesize',
        outcome: 'canceled',
      }),
    ).toBeGreaterThanOrEqual(1);
  });

  it('tts.cancel of a queued request answers it at once and never synthesizes it', async () => {
    const socket = v.connect();
    await ready(socket);
    const audio = collectAudio(socket);
    v.emulator.setFaults({ firstByteLatencyMs: 500 });
    const first = request(socket, 'tts.synthesize', { text: 'first in line', requestId: 'q1' });
    const second = request(socket, 'tts.synthesize', { text: 'second in line', requestId: 'q2' });
    const third = request(socket, 'tts.synthesize', { text: 'third in line', requestId: 'q3' });
    expect(await request(socket, 'tts.cancel', { requestId: 'q2' })).toEqual({ ok: true });
    expect(await second).toEqual({
      ok: true,
      requestId: 'q2',
      canceled: true,
      tier: null,
      firstByteMs: null,
      totalMs: 0,
      bytes: 0,
    });
    expect(await first).toMatchObject({ ok: true, requestId: 'q1' });
    expect(await third).toMatchObject({ ok: true, requestId: 'q3', tier: 'dedicated' });
    expect(audio.get('q2')).toBeUndefined();
  });

  it('tts.cancel of an unknown or finished request is a harmless ok', async () => {
    const socket = v.connect();
    await ready(socket);
    await synthesize(socket, { text: 'done already', requestId: 'finished' });
    expect(await request(socket, 'tts.cancel', { requestId: 'finished' })).toEqual({ ok: true });
    expect(await request(socket, 'tts.cancel', { requestId: 'never-existed' })).toEqual({ ok: true });
  });

  it('refuses a requestId that is already queued or running in the session', async () => {
    const socket = v.connect();
    await ready(socket);
    v.emulator.setFaults({ firstByteLatencyMs: 300 });
    const first = request(socket, 'tts.synthesize', { text: 'one', requestId: 'same' });
    const second = await request(socket, 'tts.synthesize', { text: 'two', requestId: 'same' });
    expect(second).toEqual({
      ok: false,
      error: {
        code: 'BAD_REQUEST',
        message: expect.stringContaining('already queued or running'),
        retryable: false,
      },
    });
    expect(await first).toMatchObject({ ok: true });
  });

  it('every client went back: after the sessions end the books balance', async () => {
    for (const client of v.clients.splice(0)) client.disconnect();
    // Grace is 15 s here: end the sessions the way shutdown does, then check the pools.
    await v.sessions.closeAll();
    await poolsSettled(v);
  });
});

describe('voice gateway: back-pressure (e2e)', () => {
  let v: VoiceApp;

  beforeAll(async () => {
    v = await startVoiceApp({ voice: { limits: { maxSendBufferBytes: 64 * 1024 } } });
  });
  afterAll(() => v.close());

  it('aborts a synthesis the client cannot keep up with (RATE_LIMITED, retryable) instead of buffering it', async () => {
    const socket = v.connect();
    await ready(socket);
    const audio = collectAudio(socket);
    const resume = stopReading(socket);
    const text = 'A long story that the client will not read fast enough. '.repeat(80);
    const answer = request(socket, 'tts.synthesize', { text, format: 'pcm-48k', requestId: 'flood' });
    // The server notices the growing send buffer and gives up on the request; only then does the client read.
    await waitForMetric(
      v.metrics,
      'warmline_voice_requests_total',
      { event: 'tts.synthesize', outcome: 'RATE_LIMITED' },
      (n) => n === 1,
    );
    resume();
    expect(await answer).toEqual({
      ok: false,
      error: {
        code: 'RATE_LIMITED',
        message: expect.stringContaining('not reading audio fast enough'),
        retryable: true,
      },
    });
    const received = (audio.get('flood') ?? []).reduce((n, c) => n + c.audio.length, 0);
    const full = (text.length / 15) * 96_000; // far more audio than was ever buffered for the client
    expect(received).toBeLessThan(full / 2);
    // The next request is served normally, on another synthesizer while the cut turn ends off to the side.
    expect((await synthesize(socket, { text: 'ok now' })).ack).toMatchObject({ ok: true, tier: 'warm' });
  });
});
