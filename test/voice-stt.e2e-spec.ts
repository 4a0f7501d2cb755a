import { expect } from '@jest/globals';
import type { Socket as ClientSocket } from 'socket.io-client';
import {
  once,
  poolsSettled,
  ready,
  recognise,
  request,
  startVoiceApp,
  synthesize,
  words,
  type VoiceApp,
} from './support/app/voice-harness';

jest.setTimeout(60_000);

interface ErrorEvent {
  code: string;
  message: string;
  requestId?: string;
}

/** Every `error` event the socket receives. */
function collectErrors(socket: ClientSocket): ErrorEvent[] {
  const errors: ErrorEvent[] = [];
  socket.on('error', (e: ErrorEvent) => errors.push(e));
  return errors;
}

/** 16-bit mono PCM at half the rate (every other sample): good enough to feed an 8 kHz stream. */
function halveRate(pcm: Buffer): Buffer {
  const out = Buffer.alloc(Math.floor(pcm.length / 4) * 2);
  for (let i = 0; i < out.length; i += 2) out.writeInt16LE(pcm.readInt16LE(i * 2), i);
  return out;
}

describe('voice gateway: recognition (e2e, real SDK against the emulator)', () => {
  let v: VoiceApp;
  let socket: ClientSocket;

  beforeAll(async () => {
    v = await startVoiceApp();
  });
  beforeEach(async () => {
    socket = v.connect();
    await ready(socket);
  });
  afterEach(() => {
    for (const client of v.clients.splice(0)) client.disconnect();
  });
  afterAll(() => v.close());

  it('TTS → STT round trip through the gateway returns the spoken words, finals before the stop ack', async () => {
    const text = 'Pre-connected clients make the first word fast.';
    const spoken = await synthesize(socket, { text, format: 'pcm-16k' });
    expect(spoken.ack.ok).toBe(true);

    const heard = await recognise(socket, spoken.audio, { sampleRate: 16_000, requestId: 'rt-1' });
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
    const start = await request(socket, 'stt.start');
    expect(start).toEqual({ ok: true, requestId: expect.any(String), tier: 'warm' });
    // stt.stop may come without payload too.
    expect(await request(socket, 'stt.stop')).toEqual({ ok: true, finals: 0 });
  });

  it('a recognizer for another rate or language is rebuilt, and reported truthfully as COLD', async () => {
    const spoken = await synthesize(socket, { text: 'eight kilohertz telephone audio', format: 'pcm-16k' });
    const narrow = await recognise(socket, halveRate(spoken.audio), { sampleRate: 8_000 });
    expect(narrow.start).toMatchObject({ ok: true, tier: 'cold' });
    expect(narrow.stop).toMatchObject({ ok: true });

    const german = await request(socket, 'stt.start', { language: 'de-DE' });
    expect(german).toMatchObject({ ok: true, tier: 'cold' });
    expect(await request(socket, 'stt.stop', { requestId: german.requestId })).toMatchObject({ ok: true });
  });

  it('audio sent right after stt.start, before its ack, is held and recognised', async () => {
    const text = 'streaming before the acknowledgement';
    const spoken = await synthesize(socket, { text, format: 'pcm-16k' });
    const finals: string[] = [];
    socket.on('stt.final', (f: { text: string }) => finals.push(f.text));
    const started = request(socket, 'stt.start', { requestId: 'eager' });
    for (let i = 0; i < spoken.audio.length; i += 3_200)
      socket.emit('stt.audio', spoken.audio.subarray(i, i + 3_200));
    const stopped = request(socket, 'stt.stop', { requestId: 'eager' });
    expect(await started).toMatchObject({ ok: true, requestId: 'eager' });
    expect(await stopped).toEqual({ ok: true, finals: finals.length });
    expect(words(finals.join(' '))).toBe(words(text));
  });

  it('allows one active recognition per session', async () => {
    const first = await request(socket, 'stt.start', { requestId: 'one' });
    expect(first.ok).toBe(true);
    expect(await request(socket, 'stt.start', { requestId: 'two' })).toEqual({
      ok: false,
      error: { code: 'BAD_REQUEST', message: expect.stringContaining('still active'), retryable: false },
    });
    expect(await request(socket, 'stt.stop', { requestId: 'two' })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST', message: expect.stringContaining('not the active recognition') },
    });
    expect(await request(socket, 'stt.stop', { requestId: 'one' })).toEqual({ ok: true, finals: 0 });
    expect(await request(socket, 'stt.start', { requestId: 'two' })).toMatchObject({ ok: true });
    expect(await request(socket, 'stt.stop')).toMatchObject({ ok: true });
  });

  it('stt.stop without an active recognition is a BAD_REQUEST', async () => {
    expect(await request(socket, 'stt.stop', {})).toEqual({
      ok: false,
      error: {
        code: 'BAD_REQUEST',
        message: expect.stringContaining('no active recognition'),
        retryable: false,
      },
    });
  });

  it('rejects bad audio frames with error events and keeps the recognition going', async () => {
    const errors = collectErrors(socket);
    socket.emit('stt.audio', Buffer.alloc(640));
    expect(await once(socket, 'error')).toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('stt.start'),
    });

    const text = 'bad frames are dropped';
    const spoken = await synthesize(socket, { text, format: 'pcm-16k' });
    const start = await request(socket, 'stt.start', { requestId: 'frames' });
    expect(start.ok).toBe(true);
    socket.emit('stt.audio', Buffer.alloc(64 * 1024 + 2)); // over 64 KiB
    socket.emit('stt.audio', Buffer.alloc(641)); // odd length: not 16-bit samples
    socket.emit('stt.audio', 'not binary');
    socket.emit('stt.audio', { audio: [1, 2] });
    socket.emit('stt.audio', Buffer.alloc(0));
    socket.emit('stt.audio', Buffer.alloc(64 * 1024)); // exactly 64 KiB: accepted (2 s of silence)
    for (let i = 0; i < spoken.audio.length; i += 3_200)
      socket.emit('stt.audio', spoken.audio.subarray(i, i + 3_200));
    const finals: string[] = [];
    socket.on('stt.final', (f: { text: string }) => finals.push(f.text));
    expect(await request(socket, 'stt.stop')).toMatchObject({ ok: true });
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
    await v.sessions.closeAll();
    await poolsSettled(v);
  });
});
