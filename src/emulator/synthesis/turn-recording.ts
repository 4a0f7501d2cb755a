import { AudioFingerprintStore } from '../recognition/audio-fingerprint-store';
import { RenderedSegment, TimedWord } from './speech-voice';

/** Longest turn kept whole for recognition; its units are remembered one by one anyway. */
const MAX_RECORDED_SECONDS = 300;

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
