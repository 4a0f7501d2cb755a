import { expect } from '@jest/globals';
import { startEmulator, type RunningEmulator } from '../emulator';
import { SyntheticVoice } from '../emulator/synthesis/synthetic-voice';
import { recognizeContinuous, silence, tokens } from '../../test/support/emulator/speech-sdk';
import { waitFor } from '../../test/support/wait-for';
import { wireFormatInfo, type WireFormat } from './audio-format';
import { collectGarbage } from './collect-garbage';
import { SdkObjectCensus } from './sdk-object-census';
import { SpeechError } from './speech-error';
import { textToSsml, voiceLocale } from './ssml';
import type { SpeechTarget } from './speech-target';
import { TtsClient, type TextStream, type WordTiming } from './tts-client';

const VOICE = 'en-US-JennyNeural';
const TEXT =
  'Thanks for calling the help desk. Your order shipped on Monday, and it should arrive soon. ' +
  'Is there anything else I can do for you?';
const FIRST_SENTENCE = 'Thanks for calling the help desk.';

const words = (text: string): string[] => text.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? [];

/** The emulator's own word boundaries for `text`: where its voice puts each word, in ms from the turn's start. */
async function emulatorWordStarts(text: string, rate: number): Promise<number[]> {
  const speech = await new SyntheticVoice().render({
    segments: [{ kind: 'text', text, voice: VOICE, lang: voiceLocale(VOICE) }],
    defaultVoice: VOICE,
    defaultLang: voiceLocale(VOICE),
    sampleRate: rate,
  });
  return speech.words.map((w) => (w.startSample * 1000) / rate);
}

/** Words as they came, each with the audio bytes delivered before it. */
interface SeenWord extends WordTiming {
  bytesBefore: number;
}

function recorder() {
  const chunks: Buffer[] = [];
  const seen: SeenWord[] = [];
  let bytes = 0;
  return {
    chunks,
    seen,
    onChunk: (chunk: Buffer) => {
      chunks.push(chunk);
      bytes += chunk.length;
    },
    onWord: (word: WordTiming) => seen.push({ ...word, bytesBefore: bytes }),
  };
}

function writeAll(stream: TextStream, text: string): void {
  for (const piece of tokens(text)) stream.write(piece);
}

describe('TtsClient text streaming and word timings (real SDK against the emulator)', () => {
  let emulator: RunningEmulator;
  let target: SpeechTarget;
  const clients: TtsClient[] = [];

  const client = (overrides: Partial<ConstructorParameters<typeof TtsClient>[0]> = {}): TtsClient => {
    const c = new TtsClient({ target, defaultVoice: VOICE, synthesisTimeoutMs: 10_000, ...overrides });
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, voice: 'synthetic' });
    target = { kind: 'host', url: emulator.url, key: 'test-key' };
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.dispose()));
    await waitFor(() => emulator.stats().connectionsOpen === 0, 'all sockets closed');
    emulator.reset();
  });
  afterAll(() => emulator.close());

  it('round trip: text streamed token by token becomes audio that is recognised back as that text', async () => {
    const c = client();
    await c.warm();
    const rec = recorder();
    const stream = c.streamText({ format: 'pcm-16k', onChunk: rec.onChunk });
    writeAll(stream, TEXT);
    stream.end();
    const outcome = await stream.done;
    const audio = Buffer.concat(rec.chunks);
    expect(outcome).toMatchObject({ canceled: false, bytes: audio.length });
    expect(outcome.audioMs).toBeCloseTo((audio.length / 2 / 16_000) * 1000, 6);
    const heard = await recognizeContinuous(emulator, [
      silence(300),
      new Uint8Array(audio).buffer,
      silence(1000),
    ]);
    expect(words(heard.recognized.map((r) => r.text).join(' '))).toEqual(words(TEXT));
    expect(emulator.stats()).toMatchObject({ syntheses: 1, recognitions: 1 });
  });

  it('the first audio arrives while the text is still open, once the first sentence is complete', async () => {
    const c = client();
    await c.warm();
    const rec = recorder();
    const stream = c.streamText({ onChunk: rec.onChunk });
    writeAll(stream, FIRST_SENTENCE);
    await waitFor(() => rec.chunks.length > 0, 'audio of the first sentence');
    writeAll(stream, ' And then the rest of it');
    stream.end();
    const outcome = await stream.done;
    expect(outcome.canceled).toBe(false);
    expect(outcome.firstByteMs).not.toBeNull();
    expect(outcome.firstByteMs).toBeLessThan(outcome.totalMs);
  });

  it.each(['pcm-16k', 'pcm-48k', 'mulaw-8k'] as WireFormat[])(
    '%s: words of a streamed turn in order, within 20 ms of the emulator’s boundaries, never after their audio',
    async (format) => {
      const c = client();
      const rec = recorder();
      const stream = c.streamText({ format, onChunk: rec.onChunk, onWord: rec.onWord });
      writeAll(stream, TEXT);
      stream.end();
      const outcome = await stream.done;
      const { sampleRate, bytesPerSecond } = wireFormatInfo(format);
      const expected = await emulatorWordStarts(TEXT, sampleRate);
      expect(rec.seen.map((w) => w.text.toLowerCase())).toEqual(words(TEXT));
      rec.seen.forEach((word, i) => {
        expect(Math.abs(word.offsetMs - expected[i])).toBeLessThanOrEqual(20);
        const startByte = Math.floor((word.offsetMs / 1000) * bytesPerSecond);
        expect(word.bytesBefore).toBeLessThanOrEqual(startByte); // the chunk holding its start came after it
        expect(startByte).toBeLessThan(outcome.bytes);
        expect(TEXT.slice(word.textOffset, word.textOffset + word.text.length)).toBe(word.text);
        if (i > 0) expect(word.offsetMs).toBeGreaterThan(rec.seen[i - 1].offsetMs);
      });
    },
  );

  it('word timings for a whole synthesis: offsets as the emulator placed them, text offsets into the given text', async () => {
    const c = client();
    const rec = recorder();
    await c.synthesize({ ssml: textToSsml(TEXT, VOICE), text: TEXT, format: 'pcm-24k', ...rec });
    const expected = await emulatorWordStarts(TEXT, 24_000);
    expect(rec.seen.map((w) => w.text.toLowerCase())).toEqual(words(TEXT));
    rec.seen.forEach((word, i) => {
      expect(Math.abs(word.offsetMs - expected[i])).toBeLessThanOrEqual(20);
      expect(word.bytesBefore).toBeLessThanOrEqual(Math.floor((word.offsetMs / 1000) * 48_000));
      expect(TEXT.slice(word.textOffset, word.textOffset + word.text.length)).toBe(word.text);
    });
    // Without the text, offsets index into the SSML (the SDK's own).
    const ssml = textToSsml('plain words here', VOICE);
    const bySsml: WordTiming[] = [];
    await c.synthesize({ ssml, onWord: (w) => bySsml.push(w) });
    expect(bySsml.map((w) => ssml.slice(w.textOffset, w.textOffset + w.text.length))).toEqual([
      'plain',
      'words',
      'here',
    ]);
  });

  it('cancel mid-stream: resolves at once as canceled with what was sent; later pieces are dropped; the client serves the next turn', async () => {
    const c = client({ stopTimeoutMs: 5_000 });
    await c.warm();
    emulator.setFaults({ realtimeFactor: 1 });
    const abort = new AbortController();
    const rec = recorder();
    const stream = c.streamText({ format: 'pcm-16k', signal: abort.signal, onChunk: rec.onChunk });
    writeAll(stream, TEXT);
    await waitFor(() => rec.chunks.length >= 2, 'some audio');
    abort.abort();
    const outcome = await stream.done;
    expect(outcome.canceled).toBe(true);
    expect(outcome.bytes).toBe(Buffer.concat(rec.chunks).length);
    expect(outcome.audioMs).toBeCloseTo((outcome.bytes / 32_000) * 1000, 6);
    expect(() => stream.write(' more text')).not.toThrow();
    stream.end();
    await c.clearSessionState();
    expect(c.isReady()).toBe(true);
    emulator.setFaults({});
    expect((await c.synthesize({ ssml: textToSsml('next', VOICE) })).bytes).toBeGreaterThan(0);
    expect(emulator.stats().connectionsTotal).toBe(1);
  });

  it('an upstream that stalls once the text has ended hits the deadline: TIMEOUT, the client is broken', async () => {
    const c = client({ synthesisTimeoutMs: 300 });
    await c.warm();
    emulator.setFaults({ firstByteLatencyMs: 5_000 });
    const started = Date.now();
    const stream = c.streamText();
    writeAll(stream, 'Stalled upstream.');
    stream.end();
    await expect(stream.done).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(c.isReady()).toBe(false);
  });

  it('no deadline while the text is still coming (the upstream may be waiting for it); idleTimeoutMs bounds that wait', async () => {
    const c = client({ synthesisTimeoutMs: 200 });
    await c.warm();
    const stream = c.streamText();
    writeAll(stream, 'An unfinished');
    await new Promise((resolve) => setTimeout(resolve, 500));
    writeAll(stream, ' sentence.');
    stream.end();
    expect((await stream.done).bytes).toBeGreaterThan(0);
    expect(c.isReady()).toBe(true);

    const idle = c.streamText({ idleTimeoutMs: 150 });
    writeAll(idle, 'Nothing follows');
    const error = await idle.done.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SpeechError);
    expect(error).toMatchObject({ code: 'TIMEOUT', message: expect.stringMatching(/no text for 150 ms/) });
    await c.clearSessionState();
    expect(c.isReady()).toBe(true); // the upstream was not at fault: the turn was stopped, the socket kept
    expect((await c.synthesize({ ssml: textToSsml('still fine', VOICE) })).bytes).toBeGreaterThan(0);
    expect(emulator.stats().connectionsTotal).toBe(1);
  });

  it('text after end() is a BAD_REQUEST; the audio bound and an unknown voice fail as for synthesize()', async () => {
    const c = client();
    const stream = c.streamText();
    stream.write('Done.');
    stream.end();
    expect(() => stream.write('more')).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }));
    await stream.done;

    const bounded = c.streamText({ maxAudioBytes: 20_000 });
    writeAll(bounded, TEXT);
    bounded.end();
    await expect(bounded.done).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringMatching(/20000 bytes/),
    });

    const nobody = client().streamText({ voice: 'xx-XX-Nobody' });
    nobody.write('Hello.');
    nobody.end();
    await expect(nobody.done).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('xx-XX-Nobody'),
    });
  });

  it('a stream started while another turn runs waits for it; its pieces are held and all spoken', async () => {
    const c = client();
    emulator.setFaults({ realtimeFactor: 4 });
    const first = c.synthesize({ ssml: textToSsml('A first request that takes a little while.', VOICE) });
    const rec = recorder();
    const stream = c.streamText({ format: 'pcm-16k', onWord: rec.onWord });
    writeAll(stream, 'Second, streamed.');
    stream.end();
    await first;
    await stream.done;
    expect(rec.seen.map((w) => w.text)).toEqual(['Second', 'streamed']);
  });

  it('the books balance: every synthesizer and connection is released after streamed, canceled, failed and timed-out turns', async () => {
    const census = new SdkObjectCensus();
    const run = async (): Promise<void> => {
      const done = client({ census });
      const s = done.streamText();
      writeAll(s, 'A complete turn.');
      s.end();
      await s.done;
      const abort = new AbortController();
      const canceled = done.streamText({ signal: abort.signal });
      canceled.write('Canceled');
      abort.abort();
      await canceled.done;
      await done.clearSessionState();

      const failing = client({ census });
      await failing.warm();
      emulator.setFaults({ dropMidStreamNext: 1 });
      const dropped = failing.streamText();
      writeAll(dropped, 'This turn is dropped half way through its audio.');
      dropped.end();
      await expect(dropped.done).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });

      const idle = client({ census }).streamText({ idleTimeoutMs: 50 });
      await expect(idle.done).rejects.toMatchObject({ code: 'TIMEOUT' });
      await Promise.all(clients.splice(0).map((c) => c.dispose()));
    };
    await run();
    await waitFor(() => emulator.stats().connectionsOpen === 0, 'all sockets closed');
    expect(census.snapshot().synthesizers.created).toBe(3);
    for (
      let round = 0;
      round < 20 && census.snapshot().synthesizers.live + census.snapshot().connections.live > 0;
      round++
    ) {
      await collectGarbage();
    }
    expect(census.snapshot()).toMatchObject({
      synthesizers: { created: 3, live: 0 },
      connections: { created: 3, live: 0 },
    });
  });
});
