import { startEmulator, type RunningEmulator } from '../emulator';
import { waitFor } from '../../test/support/wait-for';
import { textToSsml } from './ssml';
import type { SpeechTarget } from './speech-target';
import { SttClient } from './stt-client';
import { TtsClient } from './tts-client';

const VOICE = 'en-US-JennyNeural';
const normalise = (text: string): string => text.toLowerCase().replace(/[^a-z ]/g, '');

describe('SttClient against the speech emulator (real SDK, real sockets)', () => {
  let emulator: RunningEmulator;
  let target: SpeechTarget;
  const disposables: Array<{ dispose(): Promise<void> }> = [];

  const stt = (sampleRate = 16_000): SttClient => {
    const c = new SttClient({ target, language: 'en-US', sampleRate, stopTimeoutMs: 10_000 });
    disposables.push(c);
    return c;
  };

  async function speak(text: string, format: 'pcm-16k' | 'pcm-24k' = 'pcm-16k'): Promise<Buffer> {
    const tts = new TtsClient({ target, defaultVoice: VOICE });
    disposables.push(tts);
    const chunks: Buffer[] = [];
    await tts.synthesize({ ssml: textToSsml(text, VOICE), format, onChunk: (b) => chunks.push(b) });
    return Buffer.concat(chunks);
  }

  async function recognise(client: SttClient, audio: Buffer) {
    const partials: string[] = [];
    const finals: Array<{ text: string; offsetMs: number; durationMs: number }> = [];
    const errors: unknown[] = [];
    await client.start({
      onPartial: (r) => partials.push(r.text),
      onFinal: (r) => finals.push(r),
      onError: (e) => errors.push(e),
    });
    // Arbitrary chunk sizes, as a telephony bridge would send them.
    for (let i = 0; i < audio.length; i += 3_200) client.write(audio.subarray(i, i + 3_200));
    const result = await client.stop();
    return { result, partials, finals, errors };
  }

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, voice: 'synthetic' });
    target = { kind: 'host', url: emulator.url, key: 'test-key' };
  });
  afterEach(async () => {
    await Promise.all(disposables.splice(0).map((c) => c.dispose()));
    await waitFor(() => emulator.stats().connectionsOpen === 0, 'all sockets closed');
    emulator.reset();
  });
  afterAll(() => emulator.close());

  it('warm() pre-connects the recognizer before any audio', async () => {
    const c = stt();
    await c.warm();
    expect(c.isReady()).toBe(true);
    expect(emulator.stats()).toMatchObject({ connectionsOpen: 1, recognitions: 0 });
  });

  it('recognises synthesized speech (round trip) with partials, then one final, on the pre-connected socket', async () => {
    const audio = await speak('the quick brown fox jumps over the lazy dog');
    const c = stt();
    await c.warm();
    const before = emulator.stats().connectionsTotal;
    const { result, partials, finals, errors } = await recognise(c, audio);
    expect(errors).toEqual([]);
    expect(result.finals).toBe(1);
    expect(normalise(finals[0].text)).toBe('the quick brown fox jumps over the lazy dog');
    expect(finals[0].durationMs).toBeGreaterThan(0);
    expect(partials.length).toBeGreaterThan(0);
    expect(emulator.stats().connectionsTotal).toBe(before);
    expect(c.isReady()).toBe(false);
  });

  it('yields no final for noise', async () => {
    const noise = Buffer.alloc(32_000);
    for (let i = 0; i < noise.length; i += 2) noise.writeInt16LE(Math.round(Math.sin(i * 0.37) * 9_000), i);
    const c = stt();
    const { result, finals } = await recognise(c, noise);
    expect(result.finals).toBe(0);
    expect(finals).toEqual([]);
  });

  it('retarget() rebuilds an unused recognizer for another input rate', async () => {
    const audio = await speak('hello from twenty four kilohertz', 'pcm-24k');
    const c = stt();
    await c.warm();
    await c.retarget('en-US', 24_000);
    expect(c.fits('en-US', 24_000)).toBe(true);
    const { finals } = await recognise(c, audio);
    expect(normalise(finals[0]?.text ?? '')).toBe('hello from twenty four kilohertz');
  });

  it('dispose() mid-recognition closes the stream and the socket', async () => {
    const c = stt();
    await c.start({});
    c.write(Buffer.alloc(3_200));
    await c.dispose();
    await waitFor(() => emulator.stats().connectionsOpen === 0, 'recognizer socket closed');
  });

  it('a second start() on a used client is refused', async () => {
    const c = stt();
    await recognise(c, Buffer.alloc(3_200));
    await expect(c.start({})).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});
