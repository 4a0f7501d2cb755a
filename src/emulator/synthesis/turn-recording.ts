import { resamplePcm16 } from '../audio/pcm-resampler';
import { AudioFingerprintStore } from '../recognition/audio-fingerprint-store';
import { RenderedSegment, TimedWord } from './speech-voice';

/** Longest turn kept whole for recognition; its units are remembered one by one anyway. */
const MAX_RECORDED_SECONDS = 300;

/**
 * Recognizers commonly run at 16 kHz, and a client may convert audio at another rate to it before recognition
 * (warmline does for uploads). A turn at another rate is also remembered as this resampler renders it at 16 kHz,
 * so the emulator recognises its own audio after a band-limited conversion that computes the same samples.
 */
const CONVERTED_RATE = 16_000;

/**
 * A turn's audio and words as they were sent, unit after unit, so that at its end the whole turn can be
 * remembered for recognition (a recognizer hears sentences run together, not one at a time). Bounded: a longer
 * turn is not kept whole.
 */
export class TurnRecording {
  /** Rendered units (shared, never written to) and runs of silence (their length). */
  private readonly parts: Array<Int16Array | number> = [];
  private readonly words: TimedWord[] = [];
  private text = '';
  private length = 0;
  private overflow = false;
  private readonly maxSamples: number;

  constructor(private readonly sampleRate: number) {
    this.maxSamples = MAX_RECORDED_SECONDS * sampleRate;
  }

  append(segment: RenderedSegment): void {
    if (!this.fits(segment.samples.length)) return;
    if (this.text !== '' && segment.text !== '') this.text += ' ';
    const charBase = this.text.length;
    this.text += segment.text;
    for (const w of segment.words) {
      this.words.push({
        ...w,
        startSample: w.startSample + this.length,
        endSample: w.endSample + this.length,
        charStart: w.charStart + charBase,
        charEnd: w.charEnd + charBase,
      });
    }
    this.parts.push(segment.samples);
    this.length += segment.samples.length;
  }

  appendSilence(samples: number): void {
    if (!this.fits(samples) || samples <= 0) return;
    this.parts.push(samples);
    this.length += samples;
  }

  /** Remembers the whole turn under `key` (nothing when it had no words or was too long). */
  addTo(store: AudioFingerprintStore, key: string): void {
    if (this.overflow || this.words.length === 0) return;
    const samples = new Int16Array(this.length);
    let pos = 0;
    for (const part of this.parts) {
      if (typeof part === 'number') pos += part;
      else {
        samples.set(part, pos);
        pos += part.length;
      }
    }
    store.add(key, { samples, sampleRate: this.sampleRate, text: this.text, words: this.words });
    if (this.sampleRate !== CONVERTED_RATE) {
      const scale = (sample: number): number => Math.round((sample * CONVERTED_RATE) / this.sampleRate);
      store.add(`${key}@${CONVERTED_RATE}`, {
        samples: resamplePcm16(samples, this.sampleRate, CONVERTED_RATE),
        sampleRate: CONVERTED_RATE,
        text: this.text,
        words: this.words.map((w) => ({
          ...w,
          startSample: scale(w.startSample),
          endSample: scale(w.endSample),
        })),
      });
    }
  }

  private fits(samples: number): boolean {
    if (!this.overflow && this.length + samples > this.maxSamples) {
      this.overflow = true;
      this.parts.length = 0;
      this.words.length = 0;
    }
    return !this.overflow;
  }
}
