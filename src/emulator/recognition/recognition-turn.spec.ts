import { AudioFingerprintStore } from './audio-fingerprint-store';
import { createRandom } from '../audio/deterministic-random';
import { RecognitionMode, RecognitionTurn } from './recognition-turn';
import { SyntheticVoice } from '../synthesis/synthetic-voice';
import { pcm16ToBytes } from '../audio/wav-header';

const RATE = 16000;

interface Sent {
  path: string;
  body: Record<string, unknown>;
}

function setup(mode: RecognitionMode, detailed = false) {
  const store = new AudioFingerprintStore();
  const voice = new SyntheticVoice();
  const say = async (text: string) => {
    const speech = await voice.render({
      segments: [{ kind: 'text', text, voice: 'v', lang: undefined }],
      defaultVoice: 'v',
      defaultLang: undefined,
      sampleRate: RATE,
    });
    store.add(text, speech);
    return speech.samples;
  };
  const sent: Sent[] = [];
  const turn = new RecognitionTurn({
    sampleRate: RATE,
    mode,
    detailed,
    store,
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
  return { turn, say, push, sent };
}

const silence = (ms: number) => new Int16Array((RATE * ms) / 1000);

describe('RecognitionTurn', () => {
  it('continuous: one phrase per utterance, partials growing, offsets in ticks', async () => {
    const { turn, say, push, sent } = setup('continuous', true);
    const first = await say('Good morning, everyone.');
    const second = await say('See you later.');
    push(silence(500));
    push(first, 2);
    push(silence(1200));
    push(second, 3);
    push(silence(300));
    turn.endOfStream();
    expect(turn.done).toBe(true);

    const phrases = sent.filter((m) => m.path === 'speech.phrase');
    expect(phrases.map((p) => p.body.RecognitionStatus)).toEqual(['Success', 'Success', 'EndOfDictation']);
    expect(phrases[0].body.DisplayText).toBe('Good morning, everyone.');
    expect(phrases[1].body.DisplayText).toBe('See you later.');
    expect(phrases[0].body.NBest).toEqual([
      expect.objectContaining({ Lexical: 'good morning everyone', Display: 'Good morning, everyone.' }),
    ]);
    const offset = phrases[0].body.Offset as number;
    expect(Math.abs(offset - 5_500_000)).toBeLessThan(400_000); // 0.5 s silence + 50 ms lead-in, in 100 ns ticks
    expect(sent.filter((m) => m.path === 'speech.startDetected')).toHaveLength(2);
    expect(sent.filter((m) => m.path === 'speech.endDetected')).toHaveLength(2);

    const hypotheses = sent.filter((m) => m.path === 'speech.hypothesis').map((m) => m.body.Text as string);
    expect(hypotheses.length).toBeGreaterThan(0);
    for (const h of hypotheses)
      expect(['good morning everyone', 'see you later'].some((t) => t.startsWith(h))).toBe(true);
  });

  it('single-shot: done after the first phrase, later audio ignored', async () => {
    const { turn, say, push, sent } = setup('single-shot');
    const audio = await say('Only once.');
    push(silence(200));
    push(audio);
    push(silence(900));
    expect(turn.done).toBe(true);
    push(audio);
    turn.endOfStream();
    const phrases = sent.filter((m) => m.path === 'speech.phrase');
    expect(phrases).toHaveLength(1);
    expect(phrases[0].body).toMatchObject({ RecognitionStatus: 'Success', DisplayText: 'Only once.' });
    expect(phrases[0].body.NBest).toBeUndefined(); // simple format
  });

  it('NoMatch for sound it never synthesized; InitialSilenceTimeout for silence only', () => {
    const noisy = setup('continuous');
    const random = createRandom(5);
    noisy.push(silence(300));
    noisy.push(Int16Array.from({ length: RATE }, () => Math.round(6000 * (random() * 2 - 1))));
    noisy.push(silence(800));
    noisy.turn.endOfStream();
    expect(noisy.sent.filter((m) => m.path === 'speech.phrase').map((m) => m.body.RecognitionStatus)).toEqual(
      ['NoMatch', 'EndOfDictation'],
    );
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
    const { turn, say, push, sent } = setup('continuous');
    push(silence(300));
    push(await say('No silence after this.'));
    turn.endOfStream();
    expect(sent.find((m) => m.path === 'speech.phrase')?.body.DisplayText).toBe('No silence after this.');
  });
});
