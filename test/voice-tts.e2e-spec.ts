import { expect } from '@jest/globals';
import * as sdk from 'microsoft-cognitiveservices-speech-sdk';
import { TTS_FORMATS } from '../src/protocol';
import { closeClient, newSynthesizer, speakSsml } from './support/emulator/speech-sdk';
import {
  closeAll,
  collectAudio,
  metricValue,
  poolsSettled,
  recognise,
  request,
  startVoiceApp,
  stopReading,
  synthesize,
  waitForMetric,
  words,
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
    closeAll(v.clients);
    v.emulator.setFaults({});
  });
  afterAll(() => v.close());

  it('allocates WARM first, then DEDICATED for the same session; a new session starts WARM again', async () => {
    const a = v.connect();
    expect(await a.ready()).toEqual({ sessionId: expect.stringMatching(UUID), resumed: false });
    const tiers: unknown[] = [];
    for (const text of ['first request', 'second request', 'third request']) {
      tiers.push((await synthesize(a, { text })).ack.tier);
    }
    expect(tiers).toEqual(['warm', 'dedicated', 'dedicated']);

    const b = v.connect();
    await b.ready();
    expect((await synthesize(b, { text: 'another session' })).ack.tier).toBe('warm');
    const histogram = await v.metrics.getSingleMetricAsString('warmline_tts_first_byte_seconds');
    expect(histogram).toMatch(
      /warmline_tts_first_byte_seconds_count\{transport="socketio",tier="dedicated"\} 2/,
    );
    expect(histogram).toMatch(/warmline_tts_first_byte_seconds_count\{transport="socketio",tier="warm"\} 2/);
  });

  it('streams chunks in order, acks after the last one, and the ack counts exactly the bytes sent', async () => {
    const client = v.connect();
    await client.ready();
    const events: string[] = [];
    client.socket.on('tts.audio', (chunk) => events.push(`audio ${chunk.seq}`));
    const { ack, chunks, audio } = await synthesize(client, {
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
    expect(ack.totalMs).toBeGreaterThanOrEqual(ack.firstByteMs as number);
    expect(chunks.length).toBeGreaterThan(1); // streamed, not one buffered blob
    expect(chunks.map((c) => c.seq)).toEqual(chunks.map((_c, i) => i));
    expect(chunks.every((c) => c.requestId === 'ordered-1' && c.audio.byteLength > 0)).toBe(true);
    expect(audio.length % 2).toBe(0);
    expect(events[events.length - 1]).toBe('ack');
    expect(events.filter((e) => e === 'ack')).toHaveLength(1);
  });

  it('forwards exactly the upstream audio: every byte in order, the first chunk as the first event', async () => {
    const ssml =
      '<speak version="1.0" xmlns="http://www.w3.org/2001/10/synthesis" xml:lang="en-US">' +
      '<voice name="en-US-JennyNeural">A sentence long enough for the upstream to send it in many chunks.</voice>' +
      '</speak>';
    // What the upstream sends for it, chunk by chunk, read with the Speech SDK directly (the emulator's audio is
    // deterministic).
    const direct = newSynthesizer(v.emulator, sdk.SpeechSynthesisOutputFormat.Raw16Khz16BitMonoPcm);
    const upstreamChunks: Buffer[] = [];
    direct.synthesizing = (_s, e) => upstreamChunks.push(Buffer.from(e.result.audioData));
    try {
      await speakSsml(direct, ssml);
    } finally {
      await closeClient(direct);
    }
    expect(upstreamChunks.length).toBeGreaterThan(4);

    const client = v.connect();
    await client.ready();
    const { ack, chunks, audio } = await synthesize(client, { ssml, format: 'pcm-16k' });
    expect(ack).toMatchObject({ ok: true, bytes: Buffer.concat(upstreamChunks).length });
    expect(audio.equals(Buffer.concat(upstreamChunks))).toBe(true);
    // Chunks that arrive together may share an event (socket-audio-sink.int-spec.ts); the first is never held back.
    expect(Buffer.from(chunks[0].audio).equals(upstreamChunks[0])).toBe(true);
    expect(chunks.length).toBeLessThanOrEqual(upstreamChunks.length);
    expect(chunks.map((c) => c.seq)).toEqual(chunks.map((_c, i) => i));
  });

  it('produces the byte rate of each format for the same text', async () => {
    const client = v.connect();
    await client.ready();
    const text = 'Formats differ only in their sample rate.';
    const bytes: Record<string, number> = {};
    for (const format of TTS_FORMATS) {
      const { ack, audio } = await synthesize(client, { text, format });
      expect(ack.bytes).toBe(audio.length);
      bytes[format] = audio.length;
    }
    expect(bytes['pcm-24k'] / bytes['pcm-16k']).toBeCloseTo(1.5, 1);
    expect(bytes['pcm-48k'] / bytes['pcm-16k']).toBeCloseTo(3, 1);
  });

  it('generates a requestId when the client gives none', async () => {
    const client = v.connect();
    await client.ready();
    const audio = collectAudio(client);
    // The client always names its requests; the bare socket leaves the id out.
    const ack = await request(client.socket, 'tts.synthesize', { text: 'no id given' });
    expect(ack).toMatchObject({ ok: true, requestId: expect.stringMatching(UUID) });
    expect(audio.get(ack.requestId as string)?.length).toBeGreaterThan(0);
  });

  it('speaks text with markup characters literally (synthesis → recognition round trip)', async () => {
    const client = v.connect();
    await client.ready();
    const text = 'Tom <b>and</b> "Jerry" & friends </speak> say 5 > 3 & 2 < 4';
    const { ack, audio } = await synthesize(client, { text, format: 'pcm-16k' });
    expect(ack.ok).toBe(true);
    const heard = await recognise(client, audio, { sampleRate: 16_000 });
    // Every word comes back as written, markup characters included; a token without a letter or digit (`&`, `>`)
    // is no word, and recognition reports words.
    const words = text.split(' ').filter((token) => /[\p{L}\p{N}]/u.test(token));
    expect(heard.finals.map((f) => f.text).join(' ')).toBe(words.join(' '));
  });

  it('accepts SSML and a voice name', async () => {
    const client = v.connect();
    await client.ready();
    const ssml =
      '<speak version="1.0" xmlns="http://www.w3.org/2001/10/synthesis" xml:lang="en-GB">' +
      '<voice name="en-GB-SoniaNeural">Tea &amp; biscuits<break time="200ms"/> at four.</voice></speak>';
    const fromSsml = await synthesize(client, { ssml, format: 'pcm-16k' });
    expect(fromSsml.ack).toMatchObject({ ok: true, bytes: fromSsml.audio.length });
    const heard = await recognise(client, fromSsml.audio, { sampleRate: 16_000 });
    expect(words(heard.finals.map((f) => f.text).join(' '))).toBe('tea biscuits at four');

    const withVoice = await synthesize(client, { text: 'Guten Tag', voice: 'de-DE-KatjaNeural' });
    expect(withVoice.ack).toMatchObject({ ok: true, tier: 'dedicated' });
  });

  it('tts.cancel of the running request: canceled ack with the bytes sent so far, and no further audio', async () => {
    const client = v.connect();
    await client.ready();
    await synthesize(client, { text: 'warm up this session' });
    const audio = collectAudio(client);
    // Hold the first byte upstream so the request is certainly in flight when the cancel arrives.
    v.emulator.setFaults({ firstByteLatencyMs: 1_500 });
    const synthesis = client.synthesize({ text: 'this will be canceled', requestId: 'doomed' });
    const cancel = client.cancel('doomed');
    expect(await cancel).toEqual({ ok: true, sentMs: 0, spokenText: '' }); // nothing was sent yet
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
    const after = await synthesize(client, { text: 'still works afterwards' });
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
    const client = v.connect();
    await client.ready();
    const audio = collectAudio(client);
    v.emulator.setFaults({ firstByteLatencyMs: 500 });
    const first = client.synthesize({ text: 'first in line', requestId: 'q1' });
    const second = client.synthesize({ text: 'second in line', requestId: 'q2' });
    const third = client.synthesize({ text: 'third in line', requestId: 'q3' });
    expect(await client.cancel('q2')).toEqual({ ok: true, sentMs: 0, spokenText: '' });
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
    const client = v.connect();
    await client.ready();
    await synthesize(client, { text: 'done already', requestId: 'finished' });
    // A finished request: all of it was sent, so all of it counts as heard.
    expect(await client.cancel('finished')).toEqual({
      ok: true,
      sentMs: expect.any(Number),
      spokenText: 'done already',
    });
    expect(await client.cancel('never-existed')).toEqual({ ok: true, sentMs: 0, spokenText: '' });
  });

  it('refuses a requestId that is already queued or running in the session', async () => {
    const client = v.connect();
    await client.ready();
    v.emulator.setFaults({ firstByteLatencyMs: 300 });
    const first = client.synthesize({ text: 'one', requestId: 'same' });
    await expect(client.synthesize({ text: 'two', requestId: 'same' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('already queued or running'),
      retryable: false,
      requestId: 'same',
    });
    expect(await first).toMatchObject({ ok: true });
  });

  it('every client went back: after the sessions end the books balance', async () => {
    closeAll(v.clients);
    // Grace is 15 s here: end the sessions the way shutdown does, then check the pools.
    v.sessions.endAll();
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
    const client = v.connect();
    await client.ready();
    const audio = collectAudio(client);
    const resume = stopReading(client);
    const text = 'A long story that the client will not read fast enough. '.repeat(80);
    const answer = client.synthesize({ text, format: 'pcm-48k', requestId: 'flood' });
    answer.catch(() => undefined); // awaited below, once the client reads again
    // The server notices the growing send buffer and gives up on the request; only then does the client read.
    await waitForMetric(
      v.metrics,
      'warmline_voice_requests_total',
      { event: 'tts.synthesize', outcome: 'RATE_LIMITED' },
      (n) => n === 1,
    );
    resume();
    await expect(answer).rejects.toMatchObject({
      code: 'RATE_LIMITED',
      message: expect.stringContaining('not reading audio fast enough'),
      retryable: true,
    });
    const received = (audio.get('flood') ?? []).reduce((n, c) => n + c.audio.length, 0);
    const full = (text.length / 15) * 96_000; // far more audio than was ever buffered for the client
    expect(received).toBeLessThan(full / 2);
    // The next request is served normally, on another synthesizer while the cut turn ends off to the side.
    expect((await synthesize(client, { text: 'ok now' })).ack).toMatchObject({ ok: true, tier: 'warm' });
  });
});
