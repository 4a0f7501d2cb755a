import { createRandom, hashString } from '../audio/deterministic-random';
import { LruCache } from './lru-cache';
import { renderDocument } from './speech-plan';
import {
  RenderedSegment,
  RenderedSpeech,
  RenderRequest,
  SpeechUnit,
  SpeechVoice,
  TimedWord,
} from './speech-voice';
import { countSyllables, pauseAfter, tokenizeWords } from './word-tokenizer';

// Module-level aliases: global lookups in hot loops are very slow inside vm contexts (Jest's sandbox).
const { cos, floor, max, min, round, sin, sqrt, PI } = Math;

/** Vowel formants (F1, F2 in Hz) so syllables differ in colour, like speech, not like a beep. */
const VOWELS: ReadonlyArray<readonly [number, number]> = [
  [730, 1090],
  [270, 2290],
  [530, 1840],
  [570, 840],
  [300, 870],
  [660, 1720],
  [440, 1020],
  [490, 1350],
];
const PAUSE_MS = { word: 90, clause: 250, sentence: 400 } as const;
const PEAK = 0.3 * 32767;

function resonance(f: number, formant: number, bandwidth: number): number {
  const x = (f - formant) / bandwidth;
  return 1 / (1 + x * x);
}

/**
 * Deterministic speech-like signal (~150 words/min): each word is a voiced segment of harmonics shaped by
 * vowel formants with a syllable envelope and a consonant burst, words separated by pauses that follow the
 * punctuation. Each unit (sentence) is seeded from the voice, its text and what the turn said before it, so two
 * texts share audio only where they start alike, and the same text always gives the same samples (recognition
 * matches on them).
 */
export class SyntheticVoice implements SpeechVoice {
  readonly kind = 'synthetic' as const;
  readonly leadMs = 50;
  readonly tailMs = 100;
  /** Rendering costs a few ms per second of audio; load tests repeat texts. */
  private readonly cache = new LruCache<string, RenderedSegment>(256, 8_000_000, (s) => s.samples.length);

  render(request: RenderRequest): Promise<RenderedSpeech> {
    return renderDocument(this, request);
  }

  renderUnit(unit: SpeechUnit, rate: number, context: number): Promise<RenderedSegment> {
    const voice = unit.voice ?? '';
    const key = `${rate}|${voice}|${context}|${unit.text}`;
    let segment = this.cache.get(key);
    if (!segment) {
      segment = this.synthesize(unit.text, voice, rate, context);
      this.cache.set(key, segment);
    }
    return Promise.resolve(segment);
  }

  private synthesize(text: string, voice: string, rate: number, context: number): RenderedSegment {
    const words = tokenizeWords(text);
    const voiceSeed = hashString(voice.toLowerCase());
    const random = createRandom(hashString(`${voice}|${context}|${text}`));
    const baseF0 = 100 + (voiceSeed % 100);
    const layout = words.map((w) => {
      const syllables = countSyllables(w.lexical);
      return {
        syllables,
        voicedMs: min(900, 90 + 110 * syllables),
        pauseMs: PAUSE_MS[pauseAfter(w.display)],
      };
    });
    const toSamples = (ms: number): number => round((ms * rate) / 1000);
    const total = layout.reduce((sum, l) => sum + toSamples(l.voicedMs) + toSamples(l.pauseMs), 0);
    const samples = new Int16Array(total);
    const timed: TimedWord[] = [];
    const maxHarmonicHz = min(3800, rate * 0.45);
    let pos = 0;
    let phase = 0;
    words.forEach((word, index) => {
      const { syllables, voicedMs, pauseMs } = layout[index];
      const length = toSamples(voicedMs);
      const sylLength = length / syllables;
      const wordF0 = baseF0 * (0.9 + 0.2 * random());
      for (let s = 0; s < syllables; s++) {
        const [f1, f2] = VOWELS[floor(random() * VOWELS.length)];
        const start = round(s * sylLength);
        const end = round((s + 1) * sylLength);
        const burstLength = min(end - start, toSamples(20 + 20 * random()));
        const harmonics: number[] = [];
        let norm = 0;
        for (let k = 1; k * wordF0 < maxHarmonicHz; k++) {
          const f = k * wordF0;
          const a = (resonance(f, f1, 90) + 0.6 * resonance(f, f2, 120)) / sqrt(k);
          harmonics.push(a);
          norm += a;
        }
        let previousNoise = 0;
        for (let i = start; i < end; i++) {
          const t = (i - start) / max(1, end - start);
          // Raised-cosine attack and release per syllable: the energy contour a VAD sees in speech.
          const envelope =
            t < 0.15
              ? 0.5 - 0.5 * cos((PI * t) / 0.15)
              : t > 0.75
                ? 0.5 + 0.5 * cos((PI * (t - 0.75)) / 0.25)
                : 1;
          const f0 = wordF0 * (1 + 0.08 * sin(2 * PI * (i / length)) - 0.05 * (i / length));
          phase += (2 * PI * f0) / rate;
          if (phase > 2 * PI) phase -= 2 * PI;
          // sin(k*phase) by the Chebyshev recurrence: one sin/cos per sample instead of one per harmonic.
          const c2 = 2 * cos(phase);
          let sPrev = 0;
          let sCur = sin(phase);
          let voiced = 0;
          for (const a of harmonics) {
            voiced += a * sCur;
            const sNext = c2 * sCur - sPrev;
            sPrev = sCur;
            sCur = sNext;
          }
          let value = (voiced / norm) * envelope;
          if (i - start < burstLength) {
            const noise = random() * 2 - 1;
            value += 0.35 * (noise - previousNoise) * (1 - (i - start) / burstLength); // high-passed: a fricative onset
            previousNoise = noise;
          }
          samples[pos + i] = round(value * PEAK + (random() * 6 - 3));
        }
      }
      timed.push({ ...word, startSample: pos, endSample: pos + length });
      pos += length + toSamples(pauseMs);
    });
    return { samples, text, words: timed };
  }
}
