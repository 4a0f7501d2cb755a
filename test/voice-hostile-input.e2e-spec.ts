import { expect } from '@jest/globals';
import type { Socket as ClientSocket } from 'socket.io-client';
import type { VoiceError } from '../src/client';
import {
  untyped,
  closeAll,
  collectAudio,
  once,
  poolsSettled,
  request,
  startVoiceApp,
  synthesize,
  waitFor,
  type VoiceApp,
} from './support/app/voice-harness';

jest.setTimeout(60_000);

const NOT_AN_OBJECT = {
  ok: false,
  error: {
    code: 'BAD_REQUEST',
    message: 'the payload must be a JSON object, not binary data',
    retryable: false,
  },
};

/**
 * What the upstream saw: no turn and no connection may come from a request the gateway refuses. Read once the
 * pools' own background work is over: a warm pull is replaced, and a replacement speaks a one-word warm-up while
 * already counted as warm, so the counts are read after ten polls in a row (10 ms apart, each letting the
 * in-process emulator take what was sent) found the pools refilled and the emulator's counters unchanged.
 */
async function upstreamCost(v: VoiceApp): Promise<{ connections: number; syntheses: number }> {
  const refilled = (): boolean =>
    [v.tts.snapshot(), v.stt.snapshot()].every(
      (s) => s.size === s.inUse + s.warmPoolSize && s.warmPoolSize >= s.warmPoolTarget,
    );
  const read = (): { connections: number; syntheses: number } => {
    const stats = v.emulator.stats();
    return { connections: stats.connectionsTotal, syntheses: stats.syntheses };
  };
  await waitFor(refilled, 'the pools refilled');
  let last = read();
  for (let quiet = 0; quiet < 10;) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    const now = read();
    quiet =
      refilled() && now.connections === last.connections && now.syntheses === last.syntheses ? quiet + 1 : 0;
    last = now;
  }
  return last;
}

describe('voice gateway: hostile input costs the service little and the upstream nothing (e2e)', () => {
  let v: VoiceApp;

  beforeAll(async () => {
    v = await startVoiceApp({
      // Keep-warm speaks a one-word utterance on idle warm clients; out of the way here, where every upstream
      // synthesis must come from a request.
      pools: { warmupIntervalMs: 3_600_000 },
      access: { requestBurst: 200, requestsPerSecond: 100 },
    });
  });
  afterEach(() => {
    closeAll(v.clients);
    v.emulator.setFaults({});
  });
  afterAll(() => v.close());

  it.each(['tts.cancel', 'stt.stop', 'tts.synthesize', 'stt.start'])(
    'answers a 250,000-byte binary payload of %s with a short fixed BAD_REQUEST',
    async (event) => {
      const client = v.connect();
      await client.ready();
      const ack = await request(untyped(client), event, Buffer.alloc(250_000, 7));
      expect(ack).toEqual(NOT_AN_OBJECT);
      expect(JSON.stringify(ack).length).toBeLessThan(200);
    },
  );

  it('caps the message of a payload with thousands of problems', async () => {
    const client = v.connect();
    await client.ready();
    const fields = Object.fromEntries(Array.from({ length: 5_000 }, (_v, i) => [`f${i}`, i]));
    const ack = await request<{ ok: boolean; error: { message: string } }>(
      untyped(client),
      'tts.synthesize',
      {
        text: 'hi',
        ...fields,
      },
    );
    expect(ack).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(ack.error.message.length).toBeLessThanOrEqual(500);
  });

  it.each([
    ['U+0000', 'hi\u0000'],
    ['U+0001', 'hi\u0001'],
    ['U+000B', 'a\u000bb'],
    ['U+FFFE', 'hi\ufffe'],
    ['U+FFFF', 'hi\uffff'],
  ])('refuses text containing %s before anything reaches the upstream', async (codePoint, text) => {
    const client = v.connect();
    await client.ready();
    await synthesize(client, { text: 'the session holds a synthesizer now' });
    const before = await upstreamCost(v);
    await expect(client.synthesize({ text })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining(`text contains ${codePoint} at index`),
      retryable: false,
    });
    expect(await upstreamCost(v)).toEqual(before);
    // The session's synthesizer is untouched: still DEDICATED.
    expect((await synthesize(client, { text: 'fine' })).ack).toMatchObject({ ok: true, tier: 'dedicated' });
  });

  it('100 requests with control characters cost no upstream connection', async () => {
    const client = v.connect();
    await client.ready();
    await synthesize(client, { text: 'warm' });
    const before = await upstreamCost(v);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 100 }, (_v, i) =>
        client.synthesize({ text: `hi${String.fromCharCode(i % 9)}`, requestId: `c${i}` }),
      ),
    );
    expect(outcomes.map((o) => (o.status === 'rejected' ? (o.reason as VoiceError).code : 'ok'))).toEqual(
      Array(100).fill('BAD_REQUEST'),
    );
    expect(await upstreamCost(v)).toEqual(before);
  });

  it('refuses SSML that asks for hours of audio up front (BAD_REQUEST naming the limit)', async () => {
    const client = v.connect();
    await client.ready();
    const before = await upstreamCost(v);
    const ssml = `<speak>${'<break time="20s"/>'.repeat(100)}</speak>`;
    expect(Buffer.byteLength(ssml)).toBeLessThan(2_048);
    await expect(client.synthesize({ ssml })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringMatching(/about 2000 s of audio .*the limit is 600 s per request/),
      retryable: false,
    });
    const slow = `<speak><prosody rate="x-slow">${'a'.repeat(6_000)}</prosody></speak>`;
    await expect(client.synthesize({ ssml: slow })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(await upstreamCost(v)).toEqual(before);
  });

  it('refuses an unknown event, counted like any other', async () => {
    const client = v.connect();
    await client.ready();
    expect(await request(untyped(client), 'tts.speak', { text: 'hi' })).toEqual({
      ok: false,
      error: {
        code: 'BAD_REQUEST',
        message: expect.stringContaining('unknown event "tts.speak"'),
        retryable: false,
      },
    });
  });

  it('tells a connection whose session another connection resumed why it is closed', async () => {
    const first = v.connect();
    const { sessionId } = await first.ready();
    const displaced = new Promise((resolve) => first.on('displaced', resolve));
    const gone = once<string>(first.socket, 'disconnect');
    const second = v.connect({ sessionId });
    expect(await second.ready()).toEqual({ sessionId, resumed: true });
    expect(await displaced).toEqual({ code: 'SESSION_TAKEN_OVER', message: expect.any(String) });
    expect(await gone).toBe('io server disconnect');
  });
});

describe('voice gateway: limits that hold for every event (e2e)', () => {
  let v: VoiceApp;
  let socket: ClientSocket;

  beforeAll(async () => {
    v = await startVoiceApp({ access: { requestBurst: 5, requestsPerSecond: 0.01 } });
    const client = v.connect();
    await client.ready();
    socket = untyped(client);
  });
  afterAll(() => v.close());

  it('counts binary tts.cancel and stt.stop against the request rate', async () => {
    const acks = [];
    for (let i = 0; i < 7; i++) {
      acks.push(await request(socket, i % 2 === 0 ? 'tts.cancel' : 'stt.stop', Buffer.alloc(250_000)));
    }
    expect(acks.slice(0, 5)).toEqual(Array(5).fill(NOT_AN_OBJECT));
    expect(acks.slice(5)).toEqual([
      {
        ok: false,
        error: {
          code: 'RATE_LIMITED',
          message: expect.stringContaining('too many requests'),
          retryable: true,
        },
      },
      {
        ok: false,
        error: {
          code: 'RATE_LIMITED',
          message: expect.stringContaining('too many requests'),
          retryable: true,
        },
      },
    ]);
  });
});

describe('voice gateway: barge-in (e2e)', () => {
  let v: VoiceApp;

  beforeAll(async () => {
    v = await startVoiceApp();
  });
  afterAll(() => v.close());

  it('after tts.cancel the next request starts on a warm synthesizer while the canceled one finishes aside', async () => {
    const client = v.connect();
    await client.ready();
    expect((await synthesize(client, { text: 'first' })).ack).toMatchObject({ tier: 'warm' });
    const audio = collectAudio(client);
    const firstChunk = once(client.socket, 'tts.audio');
    const long = client.synthesize({
      text: 'A long answer the caller interrupts. '.repeat(40),
      requestId: 'interrupted',
    });
    await firstChunk;
    expect(await client.cancel('interrupted')).toMatchObject({ ok: true, sentMs: expect.any(Number) });
    expect(await long).toMatchObject({ ok: true, canceled: true, tier: 'dedicated' });
    const next = await synthesize(client, { text: 'yes?' });
    expect(next.ack).toMatchObject({ ok: true, tier: 'warm' });
    expect(next.audio.length).toBeGreaterThan(0);
    const interrupted = audio.get('interrupted') ?? [];
    expect(interrupted.length).toBeGreaterThan(0);
    // Nothing leaked: the canceled synthesizer went back to the pool (or was closed) once its turn ended.
    client.close();
    v.sessions.endAll();
    await poolsSettled(v);
  });
});

describe('voice gateway: voices and audio bounds (e2e)', () => {
  let v: VoiceApp;

  beforeAll(async () => {
    v = await startVoiceApp({
      pools: { tts: { warmSize: 2, maxSize: 64, voice: 'en-US-JennyNeural', maxAudioBytes: 64_000 } },
    });
  });
  afterAll(() => v.close());

  it('refuses a voice the upstream does not have before anything reaches it', async () => {
    const client = v.connect();
    await client.ready();
    const before = await upstreamCost(v);
    await expect(client.synthesize({ text: 'hi', voice: 'en-US-NoSuchNeural' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: 'unknown voice "en-US-NoSuchNeural"; the upstream has no such voice',
      retryable: false,
    });
    const ssml = '<speak version="1.0" xml:lang="en-US"><voice name="xx-XX-NobodyNeural">hi</voice></speak>';
    await expect(client.synthesize({ ssml })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('xx-XX-NobodyNeural'),
    });
    expect(await upstreamCost(v)).toEqual(before);
  });

  it('stops a stream that passes the estimate but runs past the audio bound', async () => {
    const client = v.connect();
    await client.ready();
    let received = 0;
    // Punctuation pauses make this far longer than its characters suggest.
    const stopped = client.synthesize(
      { text: 'a, b. c; d! e? f', format: 'pcm-16k' },
      { onAudio: (chunk) => (received += chunk.audio.byteLength) },
    );
    await expect(stopped).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('64000 bytes'),
      retryable: false,
    });
    expect(received).toBeGreaterThan(0);
    expect(received).toBeLessThanOrEqual(64_000);
    // Nothing leaked, and the session goes on.
    expect((await synthesize(client, { text: 'short', format: 'pcm-16k' })).ack).toMatchObject({ ok: true });
  });
});
