import { startEmulator, type RunningEmulator } from '../emulator';
import { waitFor } from '../testing/wait-for';
import { SpeechError } from './speech-error';
import { textToSsml } from './ssml';
import type { SpeechTarget } from './speech-target';
import { TtsClient } from './tts-client';

const VOICE = 'en-US-JennyNeural';

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
    expect(c.isReady()).toBe(false);
    await c.warm();
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

  it('notices a socket the upstream closed when idle, and warm() reconnects it', async () => {
    emulator.setFaults({ idleTimeoutMs: 150 });
    const c = client();
    await c.warm();
    await waitFor(() => !c.isConnected, 'idle close noticed');
    expect(c.isReady()).toBe(false);
    await c.warm();
    expect(c.isReady()).toBe(true);
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
});
