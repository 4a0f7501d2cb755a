import { expect } from '@jest/globals';
import { startEmulator, type RunningEmulator } from '../emulator';
import { waitFor } from '../../test/support/wait-for';
import { SpeechError } from './speech-error';
import { textToSsml } from './ssml';
import type { SpeechTarget } from './speech-target';
import { TtsClient } from './tts-client';

const VOICE = 'en-US-JennyNeural';
/** Seconds of audio for a few words of SSML: what a barge-in cancels. */
const longSsml = (seconds: number): string =>
  '<speak version="1.0" xmlns="http://www.w3.org/2001/10/synthesis" xml:lang="en-US">' +
  `<voice name="${VOICE}">hi${'<break time="20s"/>'.repeat(Math.ceil(seconds / 20))}</voice></speak>`;

describe('TtsClient against the speech emulator (real SDK, real sockets)', () => {
  let emulator: RunningEmulator;
  let target: SpeechTarget;
  const clients: TtsClient[] = [];

  const client = (overrides: Partial<ConstructorParameters<typeof TtsClient>[0]> = {}): TtsClient => {
    const c = new TtsClient({ target, defaultVoice: VOICE, synthesisTimeoutMs: 10_000, ...overrides });
    clients.push(c);
    return c;
  };
  const ssml = (text: string): string => textToSsml(text, VOICE);

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

  it('warm() opens the socket before any synthesis', async () => {
    const c = client();
    expect(c.isConnected).toBe(false);
    await c.warm();
    expect(c.isConnected).toBe(true);
    expect(c.isReady()).toBe(true);
    expect(emulator.stats()).toMatchObject({ connectionsOpen: 1, connectionsTotal: 1, syntheses: 0 });
  });

  it('streams chunks and reuses one socket across syntheses', async () => {
    const c = client();
    await c.warm();
    for (let i = 0; i < 3; i++) {
      const chunks: Buffer[] = [];
      const outcome = await c.synthesize({
        ssml: ssml(`request number ${i}`),
        onChunk: (b) => chunks.push(b),
      });
      expect(chunks.length).toBeGreaterThan(1);
      expect(outcome.bytes).toBe(chunks.reduce((n, b) => n + b.length, 0));
      expect(outcome.bytes % 2).toBe(0);
      expect(outcome.firstByteMs).not.toBeNull();
      expect(outcome.canceled).toBe(false);
    }
    expect(emulator.stats()).toMatchObject({ connectionsTotal: 1, syntheses: 3 });
  });

  it('serves every output format on one socket, with byte counts in proportion to the sample rate', async () => {
    const c = client();
    const text = ssml('the same sentence at three rates');
    const bytes16 = (await c.synthesize({ ssml: text, format: 'pcm-16k' })).bytes;
    const bytes24 = (await c.synthesize({ ssml: text, format: 'pcm-24k' })).bytes;
    const bytes48 = (await c.synthesize({ ssml: text, format: 'pcm-48k' })).bytes;
    expect(bytes24 / bytes16).toBeCloseTo(1.5, 1);
    expect(bytes48 / bytes16).toBeCloseTo(3, 1);
    expect(emulator.stats().connectionsTotal).toBe(1);
  });

  it('notices a socket the upstream closed when idle; still usable, and warm() reconnects it', async () => {
    emulator.setFaults({ idleTimeoutMs: 150 });
    const c = client();
    await c.warm();
    await waitFor(() => !c.isConnected, 'idle close noticed');
    expect(c.isReady()).toBe(true);
    await c.warm();
    expect(c.isConnected).toBe(true);
    expect(emulator.stats().connectionsTotal).toBe(2);
  });

  it('re-warming a connected client speaks a short utterance on the same socket', async () => {
    const c = client();
    await c.warm();
    await c.warm();
    expect(emulator.stats()).toMatchObject({ connectionsTotal: 1, syntheses: 1 });
  });

  it('a mid-stream drop ends in a typed error and a broken client', async () => {
    const c = client();
    await c.warm();
    emulator.setFaults({ dropMidStreamNext: 1 });
    const error = await c.synthesize({ ssml: ssml('this turn is dropped halfway') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SpeechError);
    expect(error).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', retryable: true });
    expect(c.isReady()).toBe(false);
  });

  it('a synthesis that never finishes fails with TIMEOUT within its deadline and breaks the client', async () => {
    const c = client({ synthesisTimeoutMs: 300 });
    await c.warm();
    emulator.setFaults({ firstByteLatencyMs: 5_000 });
    const started = Date.now();
    const error = await c.synthesize({ ssml: ssml('slow') }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'TIMEOUT' });
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(c.isReady()).toBe(false);
    await expect(c.synthesize({ ssml: ssml('again') })).rejects.toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
    });
  });

  it('surfaces an upstream 429 as a retryable UPSTREAM_THROTTLED', async () => {
    emulator.setFaults({ rejectNext: 1, rejectStatus: 429 });
    const error = await client()
      .synthesize({ ssml: ssml('throttled') })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'UPSTREAM_THROTTLED', retryable: true });
    expect(emulator.stats().rejectedTotal).toBe(1);
  });

  it('reports rejected credentials as an upstream auth error without the key in the message', async () => {
    emulator.setFaults({ requireKey: 'the-right-key' });
    const error = await client()
      .warm()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', upstreamAuth: true, retryable: false });
    expect((error as Error).message).not.toContain('test-key');
  });

  it('an aborted synthesis stops streaming at once; the client serves the next request', async () => {
    const c = client();
    await c.warm();
    emulator.setFaults({ firstByteLatencyMs: 200 });
    const abort = new AbortController();
    const chunks: Buffer[] = [];
    const pending = c.synthesize({
      ssml: ssml('a long sentence that the caller cancels before it finishes'),
      signal: abort.signal,
      onChunk: (b) => chunks.push(b),
    });
    abort.abort();
    const outcome = await pending;
    expect(outcome.canceled).toBe(true);
    expect(chunks).toHaveLength(0);
    emulator.setFaults({});
    const next = await c.synthesize({ ssml: ssml('next') });
    expect(next.bytes).toBeGreaterThan(0);
    expect(c.isReady()).toBe(true);
  });

  it('dispose() of a pre-connected client that never spoke closes its socket (SDK close() alone leaks it)', async () => {
    const c = client();
    await c.warm();
    expect(emulator.stats().connectionsOpen).toBe(1);
    await c.dispose();
    await waitFor(() => emulator.stats().connectionsOpen === 0, 'pre-connected socket closed');
  });

  it('dispose() closes the socket exactly once and leaves nothing open', async () => {
    const c = client();
    await c.warm();
    await Promise.all([c.dispose(), c.dispose()]);
    await waitFor(() => emulator.stats().connectionsOpen === 0, 'socket closed');
    await expect(c.synthesize({ ssml: ssml('after dispose') })).rejects.toMatchObject({ code: 'INTERNAL' });
  });
  it('counts its turns and says it is worn out after maxTurns (warm-ups on a connected socket count)', async () => {
    const c = client({ maxTurns: 3 });
    await c.warm(); // opens the socket: no turn
    await c.synthesize({ ssml: ssml('one') });
    await c.warm(); // speaks a short utterance: a turn
    expect(c.wornOut).toBe(false);
    await c.synthesize({ ssml: ssml('three') });
    expect(c.wornOut).toBe(true);
    expect(c.isReady()).toBe(true); // still usable: the pool decides to replace it
  });

  it('a busy client is still ready (usable), and says it is busy until its turn ends', async () => {
    const c = client();
    await c.warm();
    emulator.setFaults({ realtimeFactor: 4 });
    let sawBusy = false;
    const pending = c.synthesize({
      ssml: ssml('a sentence that takes a while to arrive'),
      onChunk: () => {
        sawBusy ||= c.busy && c.isReady();
      },
    });
    expect(c.busy).toBe(true);
    expect(c.isReady()).toBe(true);
    await pending;
    expect(sawBusy).toBe(true);
    expect(c.busy).toBe(false);
  });

  it('clearSessionState() stops a canceled long turn upstream: the client is usable again on the same socket', async () => {
    const c = client({ stopTimeoutMs: 5_000 });
    await c.warm();
    emulator.setFaults({ realtimeFactor: 1 });
    const abort = new AbortController();
    const chunks: Buffer[] = [];
    const outcome = await c.synthesize({
      ssml: longSsml(60),
      signal: abort.signal,
      onChunk: (b) => {
        chunks.push(b);
        abort.abort();
      },
    });
    expect(outcome).toMatchObject({ canceled: true, bytes: chunks[0].length });
    expect(chunks).toHaveLength(1);
    await c.clearSessionState();
    expect(c.busy).toBe(false);
    expect(c.isReady()).toBe(true);
    emulator.setFaults({});
    expect((await c.synthesize({ ssml: ssml('next') })).bytes).toBeGreaterThan(0);
    expect(emulator.stats()).toMatchObject({ connectionsTotal: 1, connectionsOpen: 1 });
  });

  it('the next synthesis on a client whose turn was canceled starts once the upstream stopped that turn', async () => {
    const c = client({ stopTimeoutMs: 5_000 });
    await c.warm();
    emulator.setFaults({ realtimeFactor: 1 });
    const abort = new AbortController();
    const first = c.synthesize({ ssml: longSsml(60), signal: abort.signal, onChunk: () => abort.abort() });
    expect(await first).toMatchObject({ canceled: true });
    emulator.setFaults({});
    const next = await c.synthesize({ ssml: ssml('right away') });
    expect(next).toMatchObject({ canceled: false });
    expect(next.bytes).toBeGreaterThan(0);
    expect(c.isReady()).toBe(true);
  });

  it('a canceled turn that does not stop within stopTimeoutMs breaks the client', async () => {
    const c = client({ stopTimeoutMs: 300 });
    await c.warm();
    // An upstream that ignores stop: this client's stop message never leaves.
    Object.assign(c['internals'], { requestStop: () => Promise.resolve() });
    emulator.setFaults({ realtimeFactor: 1 });
    const abort = new AbortController();
    await c.synthesize({ ssml: longSsml(60), signal: abort.signal, onChunk: () => abort.abort() });
    await c.clearSessionState();
    expect(c.isReady()).toBe(false);
    await expect(c.synthesize({ ssml: ssml('again') })).rejects.toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
    });
  });

  it('maxAudioBytes stops a stream past the bound with a BAD_REQUEST naming it; the client stays usable', async () => {
    const c = client();
    await c.warm();
    const chunks: Buffer[] = [];
    const error = await c
      .synthesize({
        ssml: longSsml(40),
        format: 'pcm-48k',
        maxAudioBytes: 50_000,
        onChunk: (b) => chunks.push(b),
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SpeechError);
    expect(error).toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringMatching(/50000 bytes.*maxAudioBytes/),
    });
    expect(chunks.reduce((n, b) => n + b.length, 0)).toBeLessThanOrEqual(50_000);
    expect(
      (await c.synthesize({ ssml: ssml('within bounds'), maxAudioBytes: 1_000_000 })).bytes,
    ).toBeGreaterThan(0);
    expect(c.isReady()).toBe(true);
    expect(emulator.stats().connectionsTotal).toBe(1);
  });

  it('an unknown voice is a BAD_REQUEST naming the voice', async () => {
    const c = client();
    const error = await c.synthesize({ ssml: textToSsml('hello', 'xx-XX-Nobody') }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'BAD_REQUEST', retryable: false });
    expect((error as Error).message).toContain('"xx-XX-Nobody"');
  });

  it.each([
    ['mulaw-8k', 8_000],
    ['alaw-8k', 8_000],
  ] as const)('%s: one byte per 8 kHz sample', async (format, bytesPerSecond) => {
    const c = client();
    const pcm = await c.synthesize({ ssml: ssml('telephony audio'), format: 'pcm-16k' });
    const g711 = await c.synthesize({ ssml: ssml('telephony audio'), format });
    expect(g711.bytes).toBe((pcm.bytes / 2 / 16_000) * bytesPerSecond);
  });

  it('mp3-24k: MPEG frames at 48 kbit/s, on the same socket as PCM', async () => {
    const c = client();
    const pcm = await c.synthesize({ ssml: ssml('compressed speech'), format: 'pcm-24k' });
    const chunks: Buffer[] = [];
    const mp3 = await c.synthesize({
      ssml: ssml('compressed speech'),
      format: 'mp3-24k',
      onChunk: (b) => chunks.push(b),
    });
    const audio = Buffer.concat(chunks);
    expect(audio.readUInt16BE(0) & 0xffe0).toBe(0xffe0);
    const seconds = pcm.bytes / 2 / 24_000;
    expect(mp3.bytes).toBeGreaterThan(seconds * 6_000 * 0.9);
    expect(mp3.bytes).toBeLessThan(seconds * 6_000 * 1.2);
    expect(emulator.stats().connectionsTotal).toBe(1);
  });
});
