import { expect } from '@jest/globals';
import type { VoiceClient } from '../src/client';
import {
  closeAll,
  collectErrors,
  once,
  poolsSettled,
  recognise,
  request,
  startVoiceApp,
  synthesize,
  words,
  untyped,
  type VoiceApp,
} from './support/app/voice-harness';

jest.setTimeout(60_000);

/** 16-bit mono PCM at half the rate (every other sample): good enough to feed an 8 kHz stream. */
function halveRate(pcm: Buffer): Buffer {
  const out = Buffer.alloc(Math.floor(pcm.length / 4) * 2);
  for (let i = 0; i < out.length; i += 2) out.writeInt16LE(pcm.readInt16LE(i * 2), i);
  return out;
}

describe('voice gateway: recognition (e2e, real SDK against the emulator)', () => {
  let v: VoiceApp;
  let client: VoiceClient;

  beforeAll(async () => {
    v = await startVoiceApp();
  });
  beforeEach(async () => {
    client = v.connect();
    await client.ready();
  });
  afterEach(() => closeAll(v.clients));
  afterAll(() => v.close());

  it('TTS → STT round trip through the gateway returns the spoken words, finals before the stop ack', async () => {
    const text = 'Pre-connected clients make the first word fast.';
    const spoken = await synthesize(client, { text, format: 'pcm-16k' });
    expect(spoken.ack.ok).toBe(true);

    const heard = await recognise(client, spoken.audio, { sampleRate: 16_000, requestId: 'rt-1' });
    expect(heard.start).toEqual({ ok: true, requestId: 'rt-1', tier: 'warm' });
    expect(heard.stop).toEqual({ ok: true, finals: heard.finals.length });
    expect(heard.finals.length).toBeGreaterThanOrEqual(1);
    expect(words(heard.finals.map((f) => f.text).join(' '))).toBe(words(text));
    expect(heard.finals[0]).toEqual({
      requestId: 'rt-1',
      text: expect.any(String),
      offsetMs: expect.any(Number),
      durationMs: expect.any(Number),
    });
    expect(heard.partials.length).toBeGreaterThan(0);
    expect(heard.partials.every((p) => p.requestId === 'rt-1' && typeof p.offsetMs === 'number')).toBe(true);
    expect(heard.errors).toEqual([]);
  });

  it('generates a requestId and uses the default language and rate when stt.start has no payload', async () => {
    // The client always sends a payload with an id; the bare socket sends none.
    const start = await request(client.socket, 'stt.start');
    expect(start).toEqual({ ok: true, requestId: expect.any(String), tier: 'warm' });
    // stt.stop may come without payload too.
    expect(await request(client.socket, 'stt.stop')).toEqual({ ok: true, finals: 0 });
  });

  it('a recognizer for another rate or language is rebuilt, and reported truthfully as COLD', async () => {
    const spoken = await synthesize(client, { text: 'eight kilohertz telephone audio', format: 'pcm-16k' });
    const narrow = await recognise(client, halveRate(spoken.audio), { sampleRate: 8_000 });
    expect(narrow.start).toMatchObject({ ok: true, tier: 'cold' });
    expect(narrow.stop).toMatchObject({ ok: true });

    const german = client.recognize({ language: 'de-DE' });
    expect(await german.started).toMatchObject({ ok: true, tier: 'cold' });
    expect(await german.stop()).toMatchObject({ ok: true });
  });

  it('audio sent right after stt.start, before its ack, is held and recognised', async () => {
    const text = 'streaming before the acknowledgement';
    const spoken = await synthesize(client, { text, format: 'pcm-16k' });
    const recognition = client.recognize({ requestId: 'eager' });
    for (let i = 0; i < spoken.audio.length; i += 3_200)
      recognition.send(spoken.audio.subarray(i, i + 3_200));
    const stopped = recognition.stop();
    expect(await recognition.started).toMatchObject({ ok: true, requestId: 'eager' });
    expect(await stopped).toEqual({ ok: true, finals: recognition.finals.length });
    expect(words(recognition.finals.map((f) => f.text).join(' '))).toBe(words(text));
  });

  it('allows one active recognition per session', async () => {
    const first = client.recognize({ requestId: 'one' });
    expect((await first.started).ok).toBe(true);
    const second = client.recognize({ requestId: 'two' });
    await expect(second.started).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('still active'),
      retryable: false,
    });
    await expect(second.stop()).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('not the active recognition'),
    });
    expect(await first.stop()).toEqual({ ok: true, finals: 0 });
    const third = client.recognize({ requestId: 'two' });
    expect(await third.started).toMatchObject({ ok: true });
    expect(await third.stop()).toMatchObject({ ok: true });
  });

  it('stt.stop without an active recognition is a BAD_REQUEST', async () => {
    expect(await request(client.socket, 'stt.stop', {})).toEqual({
      ok: false,
      error: {
        code: 'BAD_REQUEST',
        message: expect.stringContaining('no active recognition'),
        retryable: false,
      },
    });
  });

  it('rejects bad audio frames with error events and keeps the recognition going', async () => {
    const errors = collectErrors(client);
    const raw = untyped(client); // frames no client would send
    raw.emit('stt.audio', Buffer.alloc(640));
    expect(await once(raw, 'error')).toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('stt.start'),
    });

    const text = 'bad frames are dropped';
    const spoken = await synthesize(client, { text, format: 'pcm-16k' });
    const recognition = client.recognize({ requestId: 'frames' });
    expect((await recognition.started).ok).toBe(true);
    raw.emit('stt.audio', Buffer.alloc(64 * 1024 + 2)); // over 64 KiB
    raw.emit('stt.audio', Buffer.alloc(641)); // odd length: not 16-bit samples
    raw.emit('stt.audio', 'not binary');
    raw.emit('stt.audio', { audio: [1, 2] });
    raw.emit('stt.audio', Buffer.alloc(0));
    recognition.send(Buffer.alloc(64 * 1024)); // exactly 64 KiB: accepted (2 s of silence)
    for (let i = 0; i < spoken.audio.length; i += 3_200)
      recognition.send(spoken.audio.subarray(i, i + 3_200));
    expect(await recognition.stop()).toMatchObject({ ok: true });
    const finals = recognition.finals.map((f) => f.text);
    expect(errors.slice(1).map((e) => [e.code, e.requestId])).toEqual(
      Array(5).fill(['BAD_REQUEST', 'frames']),
    );
    expect(errors.slice(1).map((e) => e.message)).toEqual([
      expect.stringContaining('limit is 65536'),
      expect.stringContaining('even length'),
      expect.stringContaining('binary'),
      expect.stringContaining('binary'),
      expect.stringContaining('empty'),
    ]);
    expect(words(finals.join(' '))).toBe(words(text));
  });

  it('every recognizer went back to the pool: the books balance', async () => {
    v.sessions.endAll();
    await poolsSettled(v);
  });
});
