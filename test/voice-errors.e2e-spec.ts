import { expect } from '@jest/globals';
import type { Socket as ClientSocket } from 'socket.io-client';
import type { VoiceClient } from '../src/client';
import {
  once,
  request,
  startVoiceApp,
  synthesize,
  untyped,
  type VoiceApp,
} from './support/app/voice-harness';

/** Anything but a plain JSON object is refused before validation, with this (or zod's, for a missing one). */
const NOT_AN_OBJECT = /^(the payload must be a JSON object, not .*|.*expected object.*)$/;

jest.setTimeout(60_000);

const badRequest = (message: RegExp | string) => ({
  ok: false,
  error: {
    code: 'BAD_REQUEST',
    message: typeof message === 'string' ? expect.stringContaining(message) : expect.stringMatching(message),
    retryable: false,
  },
});

describe('voice gateway: bad input (e2e)', () => {
  let v: VoiceApp;
  let client: VoiceClient;
  /** The same connection without the protocol's types: these tests send what no client would. */
  let socket: ClientSocket;

  beforeAll(async () => {
    v = await startVoiceApp();
    client = v.connect();
    await client.ready();
    socket = untyped(client);
  });
  afterAll(() => v.close());

  it('answers every malformed tts.synthesize with BAD_REQUEST and never reaches the pool or the upstream', async () => {
    const allocations = v.tts.snapshot().metrics.allocationsTotal;
    const syntheses = v.emulator.stats().syntheses;
    const audio: unknown[] = [];
    socket.on('tts.audio', (chunk) => audio.push(chunk));
    const cases: Array<[unknown[], RegExp | string]> = [
      [[], NOT_AN_OBJECT],
      [['just a string'], NOT_AN_OBJECT],
      [[42], NOT_AN_OBJECT],
      [[null], NOT_AN_OBJECT],
      [[[{ text: 'in an array' }]], NOT_AN_OBJECT],
      [[{ text: 'two' }, 'arguments'], NOT_AN_OBJECT],
      [[{}], 'exactly one of text or ssml'],
      [[{ text: 'both', ssml: '<speak>both</speak>' }], 'exactly one of text or ssml'],
      [[{ text: 'x'.repeat(5_001) }], /^text: .*5000/],
      [[{ text: '   ' }], /^text: must not be empty/],
      [[{ ssml: '<speak>unclosed' }], /^ssml is not well-formed XML/],
      [[{ ssml: '<voice name="x">no speak root</voice>' }], /^ssml root element must be <speak>/],
      [[{ ssml: `<speak>${'a'.repeat(64 * 1024)}</speak>` }], /^ssml is \d+ bytes; the limit is 65536$/],
      [[{ ssml: '<!DOCTYPE x [<!ENTITY e "e">]><speak>&e;</speak>' }], /^ssml must not contain a DOCTYPE$/],
      [[{ text: 'hi', voice: 'en-US"><injected' }], /^voice: /],
      [[{ text: 'hi', format: 'mp3' }], /^format: /],
      [[{ text: 'hi', requestId: 'r'.repeat(65) }], /^requestId: /],
      [[{ text: 'hi', requestId: 'has space' }], /^requestId: /],
      [[{ text: 'hi', unknown: true }], 'unknown'],
    ];
    for (const [args, message] of cases) {
      expect(await request(socket, 'tts.synthesize', ...args)).toEqual(badRequest(message));
    }
    expect(v.tts.snapshot().metrics.allocationsTotal).toBe(allocations);
    expect(v.emulator.stats().syntheses).toBe(syntheses);
    expect(audio).toEqual([]);
    // The connection is unharmed.
    expect((await synthesize(client, { text: 'still fine' })).ack.ok).toBe(true);
  });

  it('answers malformed tts.cancel, stt.start and stt.stop with BAD_REQUEST', async () => {
    const allocations = v.stt.snapshot().metrics.allocationsTotal;
    expect(await request(socket, 'tts.cancel', {})).toEqual(badRequest('requestId'));
    expect(await request(socket, 'tts.cancel')).toEqual(badRequest(NOT_AN_OBJECT));
    expect(await request(socket, 'tts.cancel', 'id')).toEqual(badRequest(NOT_AN_OBJECT));
    expect(await request(socket, 'stt.start', { sampleRate: 44_100 })).toEqual(badRequest(/^sampleRate: /));
    expect(await request(socket, 'stt.start', { sampleRate: '16000' })).toEqual(badRequest(/^sampleRate: /));
    expect(await request(socket, 'stt.start', { language: 'english, please' })).toEqual(
      badRequest(/^language: /),
    );
    expect(await request(socket, 'stt.start', 'en-US')).toEqual(badRequest(NOT_AN_OBJECT));
    expect(await request(socket, 'stt.start', { lang: 'en-US' })).toEqual(badRequest('lang'));
    expect(await request(socket, 'stt.stop', 7)).toEqual(badRequest(NOT_AN_OBJECT));
    expect(await request(socket, 'stt.stop', { requestId: 5 })).toEqual(badRequest(/^requestId: /));
    expect(v.stt.snapshot().metrics.allocationsTotal).toBe(allocations);
  });

  it('refuses requests without an acknowledgement callback with an error event, and does no work', async () => {
    const audio: unknown[] = [];
    socket.on('tts.audio', (chunk) => audio.push(chunk));
    const allocations = v.tts.snapshot().metrics.allocationsTotal + v.stt.snapshot().metrics.allocationsTotal;
    socket.emit('tts.synthesize', { text: 'who answers me?', requestId: 'no-ack' });
    expect(await once(socket, 'error')).toEqual({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('acknowledgement callback'),
      requestId: 'no-ack',
    });
    socket.emit('stt.start', { requestId: 'no-ack-stt' });
    expect(await once(socket, 'error')).toMatchObject({ code: 'BAD_REQUEST', requestId: 'no-ack-stt' });
    socket.emit('tts.synthesize', 'not even an object');
    expect(await once(socket, 'error')).toEqual({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('acknowledgement callback'),
    });
    // Requests that only stop work are carried out without an ack (nothing to report, nothing to refuse).
    socket.emit('tts.cancel', { requestId: 'whatever' });
    socket.emit('stt.stop');
    expect((await synthesize(client, { text: 'the connection still works' })).ack.ok).toBe(true);
    expect(audio.filter((chunk) => (chunk as { requestId: string }).requestId === 'no-ack')).toEqual([]);
    const now = v.tts.snapshot().metrics.allocationsTotal + v.stt.snapshot().metrics.allocationsTotal;
    expect(now).toBe(allocations + 1); // the last synthesis only
  });

  it('a message over the Socket.IO size bound drops only that connection', async () => {
    const victim = v.connect();
    await victim.ready();
    const bystander = v.connect();
    await bystander.ready();
    const gone = once<string>(victim.socket, 'disconnect');
    untyped(victim).emit('stt.audio', Buffer.alloc(512 * 1024));
    expect(await gone).toMatch(/transport (close|error)/);
    expect((await synthesize(bystander, { text: 'unaffected' })).ack.ok).toBe(true);
  });
});

describe("voice gateway: session queue and the key's request rate (e2e)", () => {
  let v: VoiceApp;

  beforeAll(async () => {
    v = await startVoiceApp({
      access: { requestBurst: 4, requestsPerSecond: 0.01 },
      voice: {
        limits: {
          maxQueuedSyntheses: 1,
          audioFrameBurst: 3,
          audioFramesPerSecond: 0.01,
        },
      },
    });
  });
  afterAll(() => v.close());

  it('bounds the synthesis queue and the request rate with RATE_LIMITED (retryable)', async () => {
    const client = v.connect();
    await client.ready();
    v.emulator.setFaults({ firstByteLatencyMs: 500 });
    const running = client.synthesize({ text: 'runs', requestId: 'a' });
    const waiting = client.synthesize({ text: 'waits', requestId: 'b' });
    await expect(client.synthesize({ text: 'no room', requestId: 'c' })).rejects.toMatchObject({
      code: 'RATE_LIMITED',
      message: expect.stringContaining('waiting (limit 1'),
      retryable: true,
    });
    const recognition = client.recognize();
    expect(await recognition.started).toMatchObject({ ok: true }); // the 4th token
    await expect(client.synthesize({ text: 'too fast' })).rejects.toMatchObject({
      code: 'RATE_LIMITED',
      message: expect.stringContaining('too many requests'),
      retryable: true,
    });
    await expect(client.recognize().started).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    // Every event counts, stopping ones too: none is free to flood with.
    await expect(client.cancel('b')).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    await expect(recognition.stop()).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    expect(await waiting).toMatchObject({ ok: true, requestId: 'b' });
    expect(await running).toMatchObject({ ok: true, requestId: 'a' });
    v.emulator.setFaults({});

    // The request rate is the key's (here: the loopback caller's), not the connection's: a new connection
    // buys nothing.
    const other = v.connect();
    await other.ready();
    await expect(client.synthesize({ text: 'fresh connection, same budget' })).rejects.toMatchObject({
      code: 'RATE_LIMITED',
      message: expect.stringContaining('for this API key'),
    });
    await expect(other.synthesize({ text: 'fresh connection, same budget' })).rejects.toMatchObject({
      code: 'RATE_LIMITED',
      message: expect.stringContaining('for this API key'),
    });
  });
});

describe('voice gateway: per-connection audio frame rate (e2e)', () => {
  let v: VoiceApp;

  beforeAll(async () => {
    v = await startVoiceApp({ voice: { limits: { audioFrameBurst: 3, audioFramesPerSecond: 0.01 } } });
  });
  afterAll(() => v.close());

  it('limits audio frames separately, reporting dropped frames as RATE_LIMITED error events', async () => {
    const client = v.connect();
    await client.ready();
    const errors: unknown[] = [];
    const recognition = client.recognize({ requestId: 'frames' }, { onError: (e) => errors.push(e) });
    expect((await recognition.started).ok).toBe(true);
    for (let i = 0; i < 5; i++) recognition.send(Buffer.alloc(320));
    expect(await recognition.stop()).toMatchObject({ ok: true });
    expect(errors).toEqual([
      { code: 'RATE_LIMITED', message: expect.stringContaining('audio frames'), requestId: 'frames' },
      { code: 'RATE_LIMITED', message: expect.stringContaining('audio frames'), requestId: 'frames' },
    ]);
  });
});
