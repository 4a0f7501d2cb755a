import { createRandom } from '../audio/deterministic-random';
import { pcm16ToBytes } from '../audio/wav-header';
import { SynthesisMemory } from './memory/synthesis-memory';
import { RecognitionSettings } from './recognition-settings';
import { RecognitionMode, RecognitionTurn } from './recognition-turn';
import { recognitionSettings, speak } from '../../../test/support/emulator/remembered-speech';
import { concatPcm, silencePcm, throughCapturePath } from '../../../test/support/emulator/capture-path';

const RATE = 16000;

interface Sent {
  path: string;
  body: Record<string, unknown>;
}

function setup(
  mode: RecognitionMode,
  overrides: Partial<RecognitionSettings> = {},
  memory = new SynthesisMemory(),
) {
  const sent: Sent[] = [];
  const turn = new RecognitionTurn({
    sampleRate: RATE,
    settings: recognitionSettings(mode, overrides),
    memory,
    send: (path, body) => sent.push({ path, body: body as Record<string, unknown> }),
  });
  /** Sends audio as bytes in odd-sized chunks, as a client may. */
  const push = (samples: Int16Array, seed = 1) => {
    const bytes = pcm16ToBytes(samples);
    const random = createRandom(seed);
    for (let i = 0; i < bytes.length;) {
      const n = 1 + Math.floor(random() * 5000);
      turn.pushAudio(bytes.subarray(i, i + n));
      i += n;
    }
  };
  const say = async (text: string, ssml = false) => (await speak(memory, text, { ssml })).samples;
  const phrases = () => sent.filter((m) => m.path === 'speech.phrase').map((m) => m.body);
  return { turn, say, push, sent, phrases, memory };
}

const silence = (ms: number) => silencePcm(ms, RATE);

describe('RecognitionTurn', () => {
  it('continuous: one phrase per utterance, partials growing, offsets in ticks', async () => {
    const { turn, say, push, sent, phrases } = setup('continuous', { detailed: true });
    const first = await say('Good morning, everyone.');
    const second = await say('See you later.');
    push(silence(500));
    push(first, 2);
    push(silence(1200));
    push(second, 3);
    push(silence(300));
    turn.endOfStream();
    expect(turn.done).toBe(true);

    expect(phrases().map((p) => p.RecognitionStatus)).toEqual(['Success', 'Success', 'EndOfDictation']);
    expect(phrases()[0].DisplayText).toBe('Good morning, everyone.');
    expect(phrases()[1].DisplayText).toBe('See you later.');
    expect(phrases()[0].NBest).toEqual([
      expect.objectContaining({ Lexical: 'good morning everyone', Display: 'Good morning, everyone.' }),
    ]);
    const offset = phrases()[0].Offset as number;
    expect(Math.abs(offset - 5_500_000)).toBeLessThan(400_000); // 0.5 s silence + 50 ms lead-in, in 100 ns ticks
    expect(sent.filter((m) => m.path === 'speech.startDetected')).toHaveLength(2);
    expect(sent.filter((m) => m.path === 'speech.endDetected')).toHaveLength(2);

    const hypotheses = sent.filter((m) => m.path === 'speech.hypothesis').map((m) => m.body.Text as string);
    expect(hypotheses.length).toBeGreaterThan(0);
    for (const h of hypotheses)
      expect(['good morning everyone', 'see you later'].some((t) => t.startsWith(h))).toBe(true);
  });

  it('single-shot: done after the first phrase, later audio ignored', async () => {
    const { turn, say, push, phrases } = setup('single-shot');
    const audio = await say('Only once.');
    push(silence(200));
    push(audio);
    push(silence(900));
    expect(turn.done).toBe(true);
    push(audio);
    turn.endOfStream();
    expect(phrases()).toHaveLength(1);
    expect(phrases()[0]).toMatchObject({ RecognitionStatus: 'Success', DisplayText: 'Only once.' });
    expect(phrases()[0].NBest).toBeUndefined(); // simple format
  });

  it('NoMatch for sound it never synthesized; InitialSilenceTimeout for silence only in single-shot', () => {
    const noisy = setup('continuous');
    const random = createRandom(5);
    noisy.push(silence(300));
    noisy.push(Int16Array.from({ length: RATE }, () => Math.round(6000 * (random() * 2 - 1))));
    noisy.push(silence(800));
    noisy.turn.endOfStream();
    expect(noisy.phrases().map((p) => p.RecognitionStatus)).toEqual(['NoMatch', 'EndOfDictation']);
    expect(noisy.sent.some((m) => m.path === 'speech.hypothesis')).toBe(false);

    const quiet = setup('single-shot');
    quiet.push(silence(1000));
    quiet.turn.endOfStream();
    expect(quiet.sent).toEqual([
      {
        path: 'speech.phrase',
        body: { RecognitionStatus: 'InitialSilenceTimeout', Offset: 10_000_000, Duration: 0 },
      },
    ]);
  });

  it('ends an utterance cut off by the end of the stream', async () => {
    const { turn, say, push, phrases } = setup('continuous');
    push(silence(300));
    push(await say('No silence after this.'));
    turn.endOfStream();
    expect(phrases()[0].DisplayText).toBe('No silence after this.');
  });

  it('segments at the segmentation silence: a 700 ms pause splits at 300 ms, not at 1000 ms', async () => {
    // The voice pauses 400 ms after a sentence; with the break, 700 ms of silence lie between the two.
    const text = 'Open the window. <break time="300ms"/> Close the door.';
    const short = setup('continuous', { segmentationSilenceMs: 300 });
    const audio = await short.say(text, true);
    short.push(concatPcm(silence(300), audio, silence(1200)));
    short.turn.endOfStream();
    expect(short.phrases().map((p) => p.DisplayText)).toEqual([
      'Open the window.',
      'Close the door.',
      undefined,
    ]);

    const long = setup('continuous', { segmentationSilenceMs: 1000 }, short.memory);
    long.push(concatPcm(silence(300), audio, silence(1200)));
    long.turn.endOfStream();
    expect(long.phrases().map((p) => p.DisplayText)).toEqual(['Open the window. Close the door.', undefined]);
  });

  it('the phrase ends a segmentation silence after the speech', async () => {
    for (const ms of [300, 1000]) {
      const { push, sent, memory } = setup('continuous', { segmentationSilenceMs: ms });
      const speech = await speak(memory, 'Timing matters here.');
      push(silence(200));
      push(speech.samples.subarray(0, speech.words[speech.words.length - 1].endSample)); // up to the last word's end
      const before = sent.length;
      // The phrase comes once the silence after the speech reaches the segmentation silence, not before.
      push(silence(ms - 150));
      expect(sent.slice(before).some((m) => m.path === 'speech.phrase')).toBe(false);
      push(silence(300));
      expect(sent.slice(before).some((m) => m.path === 'speech.phrase')).toBe(true);
    }
  });

  it('word timings in detailed results, and the language of the voice when language identification is on', async () => {
    const { turn, push, phrases, memory } = setup('continuous', {
      wordTimings: true,
      detailed: true,
      languageCandidates: ['en-US', 'de-DE'],
    });
    const speech = await speak(memory, 'Guten Morgen zusammen.', { voiceName: 'de-DE-KatjaNeural' });
    const lead = 400;
    push(
      throughCapturePath(concatPcm(silence(lead), speech.samples, silence(800)), RATE, {
        deviceRate: 48000,
        gainDb: -6,
        snrDb: 30,
      }),
    );
    turn.endOfStream();
    const phrase = phrases()[0];
    expect(phrase).toMatchObject({ RecognitionStatus: 'Success', PrimaryLanguage: { Language: 'de-DE' } });
    const words = (
      phrase.NBest as Array<{ Words: Array<{ Word: string; Offset: number; Duration: number }> }>
    )[0].Words;
    expect(words.map((w) => w.Word)).toEqual(['guten', 'morgen', 'zusammen']);
    speech.words.forEach((w, i) => {
      const expectedMs = lead + (w.startSample * 1000) / RATE;
      expect(Math.abs(words[i].Offset / 10_000 - expectedMs)).toBeLessThan(20);
      expect(
        Math.abs(words[i].Duration / 10_000 - ((w.endSample - w.startSample) * 1000) / RATE),
      ).toBeLessThan(1);
    });
  });

  it('initial silence: a turn that starts with more silence ends with InitialSilenceTimeout', async () => {
    const { turn, push, sent, say } = setup('continuous', { initialSilenceMs: 1000 });
    const audio = await say('Too late to be heard.');
    push(silence(1500));
    push(audio);
    expect(turn.done).toBe(true);
    expect(sent).toEqual([
      {
        path: 'speech.phrase',
        body: { RecognitionStatus: 'InitialSilenceTimeout', Offset: 0, Duration: 10_000_000 },
      },
    ]);

    const early = setup(
      'continuous',
      { initialSilenceMs: 1000 },
      (await speakMemory('Just in time.')).memory,
    );
    early.push(silence(400));
    early.push((await speakMemory('Just in time.', early.memory)).samples);
    early.push(silence(1500));
    early.turn.endOfStream();
    expect(early.phrases().map((p) => p.RecognitionStatus)).toEqual(['Success', 'EndOfDictation']);
  });

  it('profanity: masked by default, removed or raw on request', async () => {
    const text = 'Well damn, that worked.';
    const results: Record<string, unknown> = {};
    const memory = new SynthesisMemory();
    for (const profanity of ['masked', 'removed', 'raw'] as const) {
      const { turn, push, phrases } = setup('continuous', { profanity }, memory);
      push(concatPcm(silence(300), (await speak(memory, text)).samples, silence(800)));
      turn.endOfStream();
      results[profanity] = phrases()[0].DisplayText;
    }
    expect(results).toEqual({ masked: 'Well ****, that worked.', removed: 'Well that worked.', raw: text });
  });
});

async function speakMemory(text: string, memory = new SynthesisMemory()) {
  return { memory, samples: (await speak(memory, text)).samples };
}
