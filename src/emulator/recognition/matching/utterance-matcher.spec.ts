import { SynthesisMemory } from '../memory/synthesis-memory';
import { SpeechMatch } from './utterance-matcher';
import { SpeechVoice } from '../../synthesis/speech-voice';
import { matchAudio, speak, testVoice } from '../../../../test/support/emulator/remembered-speech';
import { TEST_VOICES } from '../../../../test/support/emulator/speech-sdk';
import {
  concatPcm,
  noise,
  silencePcm,
  throughCapturePath,
  tone,
} from '../../../../test/support/emulator/capture-path';

const RATE = 16000;

const recognise = matchAudio;
const text = (m: SpeechMatch | undefined) => m?.words.map((w) => w.display).join(' ');

describe.each(TEST_VOICES)('UtteranceMatcher (%s voice)', (mode) => {
  let voice: SpeechVoice;
  let memory: SynthesisMemory;
  const SENTENCES = [
    'The quick brown fox jumps over the lazy dog.',
    'Please call Stella and ask her to bring these things.',
  ];
  const said: Int16Array[] = [];

  beforeAll(async () => {
    voice = await testVoice(mode);
    memory = new SynthesisMemory();
    for (const s of SENTENCES) said.push((await speak(memory, s, { voice })).samples);
  });

  it('recognises exactly what it synthesized', () => {
    expect(text(recognise(memory, concatPcm(silencePcm(300), said[0], silencePcm(300))))).toBe(SENTENCES[0]);
  });

  // Playback at the device rate, a level change and room noise, capture back down to 16 kHz.
  const paths = [44100, 48000].flatMap((deviceRate) =>
    [-12, 0, 6].flatMap((gainDb) => [30, 20].map((snrDb) => ({ deviceRate, gainDb, snrDb }))),
  );
  it.each(paths)('recognises it through %o', (path) => {
    SENTENCES.forEach((sentence, i) => {
      const audio = concatPcm(silencePcm(250), said[i], silencePcm(300));
      const match = recognise(memory, throughCapturePath(audio, RATE, { ...path, seed: i + 1 }));
      expect(text(match)).toBe(sentence);
      expect(match?.confidence).toBeGreaterThan(0.8);
    });
  });

  it('recognises a capture handed over at the device rate itself (48 kHz stream)', () => {
    const audio = throughCapturePath(said[1], RATE, {
      deviceRate: 48000,
      outputRate: 48000,
      gainDb: -6,
      snrDb: 25,
    });
    expect(text(recognise(memory, audio, 48000))).toBe(SENTENCES[1]);
  });

  it('times the matched stretch: a later part alone gives only its words, placed where they were heard', async () => {
    const speech = await speak(memory, 'One two three. Four five six seven.', { voice });
    const cut = speech.words[3].startSample - RATE / 10; // 100 ms before "Four"
    const lead = 500;
    const query = throughCapturePath(concatPcm(silencePcm(lead), speech.samples.subarray(cut)), RATE, {
      deviceRate: 44100,
      gainDb: -12,
      snrDb: 20,
    });
    const match = recognise(memory, query);
    expect(match?.words.map((w) => w.lexical)).toEqual(['four', 'five', 'six', 'seven']);
    match?.words.forEach((w, i) => {
      const expectedMs = lead + ((speech.words[i + 3].startSample - cut) * 1000) / RATE;
      expect(Math.abs(w.offsetMs - expectedMs)).toBeLessThan(20);
    });
  });

  it('a partial match holds only the words heard completely so far', () => {
    const words = SENTENCES[0].split(' ');
    const half = said[0].subarray(0, Math.floor(said[0].length * 0.55));
    const partial = recognise(
      memory,
      throughCapturePath(half, RATE, { deviceRate: 48000, snrDb: 30 }),
      RATE,
      'partial',
    );
    const heard = partial?.words.map((w) => w.display) ?? [];
    expect(heard.length).toBeGreaterThan(1);
    expect(heard.length).toBeLessThan(words.length);
    expect(heard).toEqual(words.slice(0, heard.length));
  });

  describe('other audio stays unknown', () => {
    it.each([
      ['silence', () => silencePcm(2000)],
      ['white noise', () => noise(2000, RATE, 6000, 3)],
      ['a 440 Hz tone', () => tone(440, 2000)],
      ['a 200 Hz tone', () => tone(200, 2000)],
      ['two tones, one after the other', () => concatPcm(tone(600, 700), silencePcm(200), tone(900, 700))],
    ])('%s', (_name, audio) => {
      expect(
        recognise(memory, throughCapturePath(audio(), RATE, { deviceRate: 44100, snrDb: 30 })),
      ).toBeUndefined();
    });

    it('speech it did not synthesize, in the same voice', async () => {
      const foreign = await speak(memory, 'Warmline keeps speech clients connected and ready.', {
        voice,
        remember: false,
      });
      expect(recognise(memory, foreign.samples)).toBeUndefined();
      expect(
        recognise(memory, throughCapturePath(foreign.samples, RATE, { deviceRate: 44100, snrDb: 25 })),
      ).toBeUndefined();
    });

    it('the same words spoken by another voice', async () => {
      const other = await speak(memory, SENTENCES[0], {
        voice,
        voiceName: 'en-US-GuyNeural',
        remember: false,
      });
      expect(recognise(memory, other.samples)).toBeUndefined();
    });
  });
});
