import { expect } from '@jest/globals';
import type { TtsWord } from '../src/protocol';
import {
  closeAll,
  collectErrors,
  poolsSettled,
  recognise,
  request,
  startVoiceApp,
  synthesize,
  waitFor,
  words,
  type VoiceApp,
} from './support/app/voice-harness';

jest.setTimeout(60_000);

const REPLY =
  'Sure, I can help with that. Your order shipped this morning and should arrive on Friday. ' +
  'Is there anything else I can do for you?';

/** The reply as a model streams it: word-sized tokens with their leading spaces. */
const tokens = (text: string): string[] => text.match(/\s*\S+/g) ?? [];

/** 16-bit PCM at 24 kHz: bytes → ms. */
const pcm24kMs = (bytes: number): number => bytes / 48;

describe('voice gateway: tts.stream.* and tts.word (e2e, real SDK against the emulator)', () => {
  let v: VoiceApp;

  beforeAll(async () => {
    // No resume grace: a closed client's synthesizer goes back at once, so every test ends with balanced books.
    v = await startVoiceApp({
      voice: { sessionResumeGraceMs: 0, limits: { streamIdleMs: 3_000, streamMaxChars: 2_000 } },
    });
  });
  afterEach(async () => {
    closeAll(v.clients);
    v.emulator.setFaults({});
    await poolsSettled(v);
  });
  afterAll(() => v.close());

  it('speaks a token stream: WARM then DEDICATED, audio equals the whole text spoken at once, recognized back', async () => {
    const client = v.connect();
    await client.ready();
    const chunks: Uint8Array[] = [];
    const stream = client.streamSpeech({ format: 'pcm-16k' }, { onAudio: (c) => chunks.push(c.audio) });
    for (const token of tokens(REPLY)) stream.write(token);
    const started = await stream.started;
    expect(started).toEqual({ ok: true, requestId: stream.requestId, tier: 'warm' });
    const ack = await stream.end();
    expect(ack).toMatchObject({ ok: true, requestId: stream.requestId, tier: 'warm' });
    const audio = Buffer.concat(chunks);
    expect(ack.bytes).toBe(audio.length);
    expect(ack.firstByteMs).toEqual(expect.any(Number));

    // The same words, spoken whole, sound the same (the emulator renders sentence by sentence either way).
    const whole = await synthesize(client, { text: REPLY, format: 'pcm-16k' });
    expect(whole.ack.tier).toBe('dedicated');
    expect(audio.equals(whole.audio)).toBe(true);

    const second = client.streamSpeech({ format: 'pcm-16k' });
    second.write('Second stream.');
    expect((await second.started).tier).toBe('dedicated');
    await second.end();

    const heard = await recognise(client, audio, { sampleRate: 16_000 });
    expect(words(heard.finals.map((f) => f.text).join(' '))).toBe(words(REPLY));
  });

  it('words: true sends every word, in order, before the audio chunk holding its start', async () => {
    const client = v.connect();
    await client.ready();
    const events: Array<{ kind: 'word'; word: TtsWord } | { kind: 'audio'; endMs: number }> = [];
    let sentMs = 0;
    const onAudio = (chunk: { audio: Uint8Array }) => {
      sentMs += pcm24kMs(chunk.audio.byteLength);
      events.push({ kind: 'audio', endMs: sentMs });
    };
    const onWord = (word: TtsWord) => events.push({ kind: 'word', word });
    const stream = client.streamSpeech({ words: true }, { onAudio, onWord });
    for (const token of tokens(REPLY)) stream.write(token);
    await stream.end();

    const received = events.flatMap((e) => (e.kind === 'word' ? [e.word] : []));
    expect(received.map((w) => w.text)).toEqual(
      words(REPLY)
        .split(' ')
        .map((w) => expect.stringMatching(new RegExp(`^${w}$`, 'i'))),
    );
    for (const w of received) expect(REPLY.slice(w.textOffset, w.textOffset + w.text.length)).toBe(w.text);
    // Each word arrived while the audio sent so far ended at or before its start.
    let audioEnd = 0;
    for (const event of events) {
      if (event.kind === 'audio') audioEnd = event.endMs;
      else expect(audioEnd).toBeLessThanOrEqual(event.word.offsetMs + 0.5);
    }

    // tts.synthesize takes words too, with offsets into its text.
    const whole: TtsWord[] = [];
    await client.synthesize({ text: REPLY, words: true }, { onWord: (w) => whole.push(w) });
    expect(whole.map((w) => [w.text, w.textOffset])).toEqual(received.map((w) => [w.text, w.textOffset]));
  });

  it('barge-in: tts.cancel with playedMs answers sentMs and the words heard before it, for streams and whole requests', async () => {
    const client = v.connect();
    await client.ready();
    v.emulator.setFaults({ realtimeFactor: 1 });
    const received: TtsWord[] = [];
    let bytes = 0;
    const stream = client.streamSpeech(
      { words: true },
      { onWord: (w) => received.push(w), onAudio: (c) => (bytes += c.audio.byteLength) },
    );
    for (const token of tokens(REPLY)) stream.write(token);
    await waitFor(() => received.length >= 4, 'four words spoken');
    const playedMs = received[2].offsetMs + 1;
    const canceled = await stream.cancel(playedMs);
    expect(canceled.ok).toBe(true);
    expect(canceled.spokenText).toBe(
      received
        .slice(0, 3)
        .map((w) => w.text)
        .join(' '),
    );
    const ended = await stream.end();
    expect(ended).toMatchObject({ ok: true, canceled: true });
    // No audio after the cancel took effect: what was sent is what the ack and the cancel say.
    expect(ended.bytes).toBe(bytes);
    expect(canceled.sentMs).toBe(Math.round(pcm24kMs(bytes)));

    // A whole request, canceled after all its audio was sent (the client still plays it): still what was heard.
    v.emulator.setFaults({});
    const spoken: TtsWord[] = [];
    await client.synthesize({ text: REPLY, requestId: 'whole' }, {});
    const heard = await client.cancel('whole', { playedMs: 1_200 });
    await client.synthesize(
      { text: REPLY, requestId: 'whole-words', words: true },
      { onWord: (w) => spoken.push(w) },
    );
    expect(heard.spokenText).toBe(
      spoken
        .filter((w) => w.offsetMs < 1_200)
        .map((w) => w.text)
        .join(' '),
    );
    expect(heard.sentMs).toBeGreaterThan(1_200);
    // Without playedMs: everything sent.
    const all = await client.cancel('whole-words');
    expect(all.spokenText).toBe(spoken.map((w) => w.text).join(' '));
    expect(await client.cancel('never-was')).toEqual({ ok: true, sentMs: 0, spokenText: '' });
  });

  it('unknown streams, text after the end, and a second end are BAD_REQUEST; pieces past the bound are refused', async () => {
    const client = v.connect();
    await client.ready();
    const errors = collectErrors(client);
    client.socket.emit('tts.stream.text', { requestId: 'nope', text: 'hello' });
    await waitFor(() => errors.length === 1, 'error for an unknown stream');
    expect(errors[0]).toMatchObject({ code: 'BAD_REQUEST', requestId: 'nope' });

    const stream = client.streamSpeech({ requestId: 's1' });
    stream.write('x'.repeat(1_900));
    client.socket.emit('tts.stream.text', { requestId: 's1', text: 'y'.repeat(200) }); // 2,100 > 2,000
    await waitFor(() => errors.length === 2, 'piece past the bound refused');
    expect(errors[1]).toMatchObject({ code: 'BAD_REQUEST', requestId: 's1' });
    expect(errors[1].message).toMatch(/2000 characters/);
    stream.write(' Fine.');
    await stream.started;
    const done = await stream.end();
    expect(done.ok).toBe(true);
    client.socket.emit('tts.stream.text', { requestId: 's1', text: 'late' });
    await waitFor(() => errors.length === 3, 'text after the end refused');
    expect(errors[2]).toMatchObject({ code: 'BAD_REQUEST', requestId: 's1' });
    expect(await request(client.socket, 'tts.stream.end', { requestId: 's1' })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
    expect(await request(client.socket, 'tts.stream.start', { words: 'yes' })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
  });

  it('a stream with no piece for the idle bound fails with TIMEOUT; its synthesizer goes back', async () => {
    const client = v.connect();
    await client.ready();
    const errors = collectErrors(client);
    const stream = client.streamSpeech({ requestId: 'idle' });
    stream.write('Hello there');
    await stream.started;
    await waitFor(() => errors.length === 1, 'idle error event');
    expect(errors[0]).toMatchObject({ code: 'TIMEOUT', requestId: 'idle' });
    await expect(stream.end()).rejects.toMatchObject({ code: 'TIMEOUT' });
  });

  it('an upstream that drops mid-stream fails the stream with its code; the next stream is served', async () => {
    const client = v.connect();
    await client.ready();
    const errors = collectErrors(client);
    v.emulator.setFaults({ dropMidStreamNext: 1 });
    const stream = client.streamSpeech({ requestId: 'dropped' });
    for (const token of tokens(REPLY)) stream.write(token);
    await stream.started;
    await waitFor(() => errors.length === 1, 'the failure told at once');
    expect(errors[0]).toMatchObject({ code: expect.stringMatching(/^UPSTREAM_/), requestId: 'dropped' });
    await expect(stream.end()).rejects.toMatchObject({ code: errors[0].code });
    const next = client.streamSpeech();
    next.write('Back again.');
    expect(await next.end()).toMatchObject({ ok: true });
  });

  it('a flood of pieces is bounded by its own rate: pieces over it are dropped with RATE_LIMITED', async () => {
    const client = v.connect();
    await client.ready();
    const errors = collectErrors(client);
    const stream = client.streamSpeech({ requestId: 'flood' });
    stream.write('Flood.');
    for (let i = 0; i < 1_000; i++) stream.write('');
    // The end is processed after every piece (one connection, in order): the refusals are in by its ack.
    expect(await stream.end()).toMatchObject({ ok: true });
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.length).toBeLessThanOrEqual(1_000 - 399);
    for (const error of errors) expect(error).toMatchObject({ code: 'RATE_LIMITED', requestId: 'flood' });
  });

  it('a token-by-token stream does not use up the request rate', async () => {
    const client = v.connect();
    await client.ready();
    const errors = collectErrors(client);
    const stream = client.streamSpeech();
    // Far more pieces than the request burst (40), fewer than the piece burst (400).
    for (let i = 0; i < 300; i++) stream.write(i % 10 === 9 ? ' word.' : ' word');
    await stream.end();
    expect(errors).toEqual([]);
    expect((await synthesize(client, { text: 'Still allowed.' })).ack.ok).toBe(true);
  });
});
