import { startEmulator, type RunningEmulator } from '../emulator';
import { waitFor } from '../../test/support/wait-for';
import { TEST_VOICES } from '../../test/support/emulator/speech-sdk';
import { synthesizeTimed } from '../../test/support/emulator/timed-synthesis';
import {
  concatPcm,
  noise,
  silencePcm,
  throughCapturePath,
  tone,
} from '../../test/support/emulator/capture-path';
import type { TurnOptions } from './recognition-options';
import type { FinalResult, NoMatchResult } from './recognition-result';
import type { SpeechTarget } from './speech-target';
import { SttClient } from './stt-client';

const RATE = 16000;
const JENNY = 'en-US-JennyNeural';
const KATJA = 'de-DE-KatjaNeural';
/**
 * PCM copied into a Node Buffer, as a transport hands audio over: under Jest, a view on a typed array made in the
 * test's own realm reaches the SDK's socket as something it silently fails to send.
 */
function pcmBytes(audio: Int16Array): Buffer {
  const bytes = Buffer.alloc(audio.byteLength);
  bytes.set(new Uint8Array(audio.buffer, audio.byteOffset, audio.byteLength));
  return bytes;
}

const words = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^\p{L} ]/gu, '')
    .split(/\s+/)
    .filter(Boolean);

describe.each(TEST_VOICES)('SttClient recognition options against the emulator (%s voice)', (voice) => {
  let emulator: RunningEmulator;
  let target: SpeechTarget;
  const settingsSeen: Array<Record<string, unknown>> = [];
  const clients: SttClient[] = [];

  const stt = (languages?: readonly string[]): SttClient => {
    const c = new SttClient({
      target,
      language: 'en-US',
      sampleRate: RATE,
      languages,
      stopTimeoutMs: 10_000,
    });
    clients.push(c);
    return c;
  };

  async function recognise(client: SttClient, audio: Int16Array, options: TurnOptions = {}) {
    const finals: FinalResult[] = [];
    const partials: string[] = [];
    const noMatches: NoMatchResult[] = [];
    const errors: unknown[] = [];
    await client.start(
      {
        onPartial: (r) => partials.push(r.text),
        onFinal: (r) => finals.push(r),
        onNoMatch: (r) => noMatches.push(r),
        onError: (e) => errors.push(e),
      },
      options,
    );
    const bytes = pcmBytes(audio);
    for (let i = 0; i < bytes.length; i += 3_200) client.write(bytes.subarray(i, i + 3_200));
    await client.stop();
    expect(errors).toEqual([]);
    return { finals, partials, noMatches };
  }

  beforeAll(async () => {
    emulator = await startEmulator({
      port: 0,
      voice,
      logger: {
        debug: (msg, fields) => {
          if (msg === 'recognition settings' && fields) settingsSeen.push(fields);
        },
        info: () => undefined,
        warn: () => undefined,
      },
    });
    target = { kind: 'host', url: emulator.url, key: 'test-key' };
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.dispose()));
    await waitFor(() => emulator.stats().connectionsOpen === 0, 'all sockets closed');
    settingsSeen.length = 0;
  });
  afterAll(() => emulator.close());

  it('takes per-turn options on a pre-connected client without a new connection; the phrase list reaches the service', async () => {
    const spoken = await synthesizeTimed(emulator, JENNY, 'Please connect me to Contoso support.');
    const client = stt();
    await client.warm();
    const connections = emulator.stats().connectionsTotal;
    const { finals } = await recognise(client, concatPcm(silencePcm(300), spoken.audio), {
      endSilenceMs: 400,
      initialSilenceMs: 5000,
      profanity: 'raw',
      words: true,
      phrases: ['Contoso', 'warmline'],
    });
    expect(emulator.stats().connectionsTotal).toBe(connections);
    expect(words(finals.map((f) => f.text).join(' '))).toEqual(
      words('Please connect me to Contoso support.'),
    );
    expect(settingsSeen.at(-1)).toMatchObject({
      segmentationSilenceMs: 400,
      initialSilenceMs: 5000,
      profanity: 'raw',
      wordTimings: true,
      phrases: 2,
    });
  });

  it('segments at endSilenceMs: a pause between sentences splits them at 300 ms, not at 2000 ms', async () => {
    const spoken = await synthesizeTimed(
      emulator,
      JENNY,
      'Open the window. <break time="700ms"/> Close the door.',
    );
    const audio = concatPcm(silencePcm(300), spoken.audio, silencePcm(300));
    const short = await recognise(stt(), audio, { endSilenceMs: 300 });
    expect(short.finals.map((f) => words(f.text))).toEqual([
      words('Open the window.'),
      words('Close the door.'),
    ]);
    const long = await recognise(stt(), audio, { endSilenceMs: 2000 });
    expect(long.finals.map((f) => words(f.text))).toEqual([words('Open the window. Close the door.')]);
  });

  it('reports word timings within 20 ms of the words the emulator spoke', async () => {
    const spoken = await synthesizeTimed(emulator, JENNY, 'The early bird catches the worm.');
    const lead = 450;
    const { finals } = await recognise(stt(), concatPcm(silencePcm(lead), spoken.audio), { words: true });
    const heard = finals.flatMap((f) => f.words ?? []);
    expect(heard.map((w) => w.text)).toEqual(words('The early bird catches the worm.'));
    heard.forEach((w, i) => {
      expect(Math.abs(w.offsetMs - (lead + spoken.words[i].offsetMs))).toBeLessThan(20);
      expect(Math.abs(w.durationMs - spoken.words[i].durationMs)).toBeLessThan(20);
    });
    // Without `words`, finals carry none.
    const plain = await recognise(stt(), concatPcm(silencePcm(lead), spoken.audio));
    expect(plain.finals[0].words).toBeUndefined();
  });

  it('identifies the language between an en-US and a de-DE voice', async () => {
    const english = await synthesizeTimed(emulator, JENNY, 'Good morning, how can I help?');
    const german = await synthesizeTimed(emulator, KATJA, 'Guten Morgen, wie kann ich helfen?');
    const client = stt(['en-US', 'de-DE']);
    expect(client.fits({ language: 'en-US', sampleRate: RATE, languages: ['de-DE', 'en-US'] })).toBe(true);
    expect(client.fits('en-US', RATE)).toBe(false);
    const { finals } = await recognise(
      client,
      concatPcm(silencePcm(300), english.audio, silencePcm(800), german.audio, silencePcm(300)),
    );
    expect(finals.map((f) => [words(f.text).join(' '), f.language])).toEqual([
      ['good morning how can i help', 'en-US'],
      ['guten morgen wie kann ich helfen', 'de-DE'],
    ]);
  });

  it.each([
    { deviceRate: 44100, gainDb: -12, snrDb: 20 },
    { deviceRate: 48000, gainDb: 6, snrDb: 25 },
    { deviceRate: 48000, gainDb: -6, snrDb: 20 },
  ])('recognises its speech after a capture path %o', async (path) => {
    const spoken = await synthesizeTimed(emulator, JENNY, 'Your table for two is booked for eight.');
    const audio = throughCapturePath(concatPcm(silencePcm(300), spoken.audio, silencePcm(300)), RATE, path);
    const { finals, partials } = await recognise(stt(), audio);
    expect(finals.map((f) => words(f.text).join(' '))).toEqual(['your table for two is booked for eight']);
    expect(partials.length).toBeGreaterThan(0);
  });

  it('audio it did not synthesize is NoMatch: noise, tones and speech from another emulator', async () => {
    const other = await startEmulator({ port: 0, voice });
    try {
      const foreign = await synthesizeTimed(other, JENNY, 'This sentence was never spoken here.');
      const audio = concatPcm(
        silencePcm(300),
        noise(1000, RATE, 5000, 3),
        silencePcm(800),
        tone(440, 1000),
        silencePcm(800),
        foreign.audio,
        silencePcm(300),
      );
      const { finals, noMatches } = await recognise(stt(), audio);
      expect(finals).toEqual([]);
      expect(noMatches.length).toBeGreaterThanOrEqual(3);
      expect(noMatches.every((n) => n.reason === 'not-recognized')).toBe(true);
    } finally {
      await other.close();
    }
  });

  it('initialSilenceMs: a turn that starts with longer silence ends with the initial-silence result', async () => {
    const spoken = await synthesizeTimed(emulator, JENNY, 'Sorry, I was away.');
    const client = stt();
    const finals: FinalResult[] = [];
    const noMatches: NoMatchResult[] = [];
    await client.start(
      { onFinal: (r) => finals.push(r), onNoMatch: (r) => noMatches.push(r) },
      { initialSilenceMs: 1000 },
    );
    // A live stream: the speech comes after the service has given up on the first turn.
    client.write(pcmBytes(silencePcm(1500)));
    await waitFor(() => noMatches.length > 0, 'the initial-silence result');
    expect(noMatches[0]).toMatchObject({ reason: 'initial-silence', offsetMs: 0 });
    expect(noMatches[0].durationMs).toBeGreaterThanOrEqual(1000);
    client.write(pcmBytes(concatPcm(spoken.audio, silencePcm(300))));
    await client.stop();
    // The SDK goes on with a new turn from where the silence was cut: the speech is still recognised.
    expect(finals.map((f) => words(f.text).join(' '))).toEqual(['sorry i was away']);
  });

  it('profanity: masked unless asked otherwise, removed or raw on request', async () => {
    const spoken = await synthesizeTimed(emulator, JENNY, 'Oh damn, the build is green.');
    const audio = concatPcm(silencePcm(300), spoken.audio, silencePcm(300));
    const texts: Record<string, string> = {};
    for (const profanity of [undefined, 'masked', 'removed', 'raw'] as const) {
      const { finals } = await recognise(stt(), audio, profanity ? { profanity } : {});
      texts[profanity ?? 'default'] = finals.map((f) => f.text).join(' ');
    }
    expect(texts).toEqual({
      default: 'Oh ****, the build is green.',
      masked: 'Oh ****, the build is green.',
      removed: 'Oh the build is green.',
      raw: 'Oh damn, the build is green.',
    });
  });

  it('refuses bad options with BAD_REQUEST and stays usable', async () => {
    const client = stt();
    await expect(client.start({}, { endSilenceMs: 20, phrases: [''] })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message:
        'invalid recognition options: phrases must be non-empty and at most 100 characters (got ""); ' +
        'endSilenceMs must be an integer from 100 to 5000 (got 20)',
    });
    expect(client.isReady()).toBe(true);
    const spoken = await synthesizeTimed(emulator, JENNY, 'Still here.');
    const { finals } = await recognise(client, concatPcm(silencePcm(300), spoken.audio, silencePcm(300)));
    expect(words(finals[0]?.text ?? '')).toEqual(['still', 'here']);
  });

  it('retarget() rebuilds a warm client for language candidates', async () => {
    const client = stt();
    await client.warm();
    const setup = { language: 'en-US', sampleRate: RATE, languages: ['en-US', 'de-DE'] };
    expect(client.fits(setup)).toBe(false);
    await client.retarget(setup);
    expect(client.fits(setup)).toBe(true);
    const german = await synthesizeTimed(emulator, KATJA, 'Vielen Dank.');
    const { finals } = await recognise(client, concatPcm(silencePcm(300), german.audio, silencePcm(300)));
    expect(finals.map((f) => f.language)).toEqual(['de-DE']);
  });
});
