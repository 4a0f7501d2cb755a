import { RealFft } from './real-fft';

// Module-level aliases: global lookups in hot loops are very slow inside vm contexts (Jest's sandbox).
const { cos, floor, log10, max, PI, round } = Math;

/** One feature frame every 10 ms, whatever the sample rate. */
export const FRAME_MS = 10;
/** Each frame looks at 32 ms of audio: fine enough in frequency (~31 Hz) to resolve a voice's harmonics. */
const WINDOW_MS = 32;
/** The bands span 125-3875 Hz: present at every rate from 8 kHz up, and where speech has its energy. */
const LOWEST_HZ = 125;
const FINE_BAND_HZ = 62.5;
export const FINE_BANDS = 60;
/** Coarse bands (250 Hz each) group this many fine bands. */
const COARSE_GROUP = 4;
export const COARSE_BANDS = FINE_BANDS / COARSE_GROUP;
export const SILENT_DB = -100;
const FULL_SCALE_POWER = 32768 * 32768;

export type FrameSink = (index: number, fineDb: Float32Array) => void;

/**
 * Streaming short-time spectrum of 16-bit PCM: every {@link FRAME_MS} a Hann-windowed {@link WINDOW_MS} frame is
 * transformed and its power summed into {@link FINE_BANDS} bands of 62.5 Hz, in dB relative to full scale.
 * Frame i starts at sample ⌊i · rate / 100⌋, and band powers are normalised by the window's energy, so the same
 * sound gives the same frames at any sample rate (a resampled copy lines up frame for frame). Push chunks of
 * any size; frames come out as soon as their window is complete.
 */
export class SpectralFrameStream {
  private readonly windowLength: number;
  private readonly window: Float64Array;
  private readonly fft: RealFft;
  private readonly input: Float64Array;
  private readonly power: Float64Array;
  /** Each FFT bin's share of its frequency span in the fine bands (a bin may straddle two): band, weight. */
  private readonly binBand: Int16Array;
  private readonly binWeight: Float64Array;
  private readonly binBand2: Int16Array;
  private readonly scale: number;
  private buffer = new Float32Array(4096);
  private bufferStart = 0; // absolute sample index of buffer[0]
  private length = 0;
  private next = 0;

  constructor(
    private readonly sampleRate: number,
    private readonly sink: FrameSink,
  ) {
    this.windowLength = round((sampleRate * WINDOW_MS) / 1000);
    let size = 2;
    while (size < this.windowLength) size *= 2;
    this.fft = new RealFft(size);
    this.input = new Float64Array(size);
    this.power = new Float64Array(size / 2 + 1);
    this.window = new Float64Array(this.windowLength);
    let energy = 0;
    for (let n = 0; n < this.windowLength; n++) {
      const w = 0.5 - 0.5 * cos((2 * PI * (n + 0.5)) / this.windowLength);
      this.window[n] = w;
      energy += w * w;
    }
    // Parseval: 2·Σ|X_k|² / (N·Σw²) over a band is the mean square of the signal's part in that band.
    this.scale = 2 / (size * energy * FULL_SCALE_POWER);
    // A bin stands for the span of one bin width around its centre; splitting that span between the bands it
    // overlaps makes a band's power the same integral whatever the bin width (i.e. whatever the sample rate).
    const bins = size / 2 + 1;
    this.binBand = new Int16Array(bins).fill(-1);
    this.binBand2 = new Int16Array(bins).fill(-1);
    this.binWeight = new Float64Array(bins);
    const width = sampleRate / size;
    for (let k = 1; k < size / 2; k++) {
      const lo = (k * width - width / 2 - LOWEST_HZ) / FINE_BAND_HZ; // in bands
      const hi = lo + width / FINE_BAND_HZ;
      const band = floor(lo);
      const share = band + 1 >= hi ? 1 : (band + 1 - lo) / (hi - lo); // the part in `band`, the rest in band + 1
      this.binWeight[k] = share;
      if (band >= 0 && band < FINE_BANDS) this.binBand[k] = band;
      if (share < 1 && band + 1 >= 0 && band + 1 < FINE_BANDS) this.binBand2[k] = band + 1;
    }
  }

  /** Frames produced so far. */
  get frames(): number {
    return this.next;
  }

  push(samples: Int16Array): void {
    this.append(samples);
    const end = this.bufferStart + this.length;
    for (
      let start = this.frameStart(this.next);
      start + this.windowLength <= end;
      start = this.frameStart(this.next)
    ) {
      this.sink(this.next, this.analyse(start - this.bufferStart));
      this.next++;
    }
    this.discardBefore(this.frameStart(this.next));
  }

  private frameStart(index: number): number {
    return floor((index * this.sampleRate) / 100);
  }

  private analyse(offset: number): Float32Array {
    const { input, window, buffer, power, binBand, binBand2, binWeight } = this;
    for (let n = 0; n < this.windowLength; n++) input[n] = buffer[offset + n] * window[n];
    this.fft.powerSpectrum(input, power);
    const bands = new Float64Array(FINE_BANDS);
    for (let k = 0; k < power.length; k++) {
      const w = binWeight[k];
      if (binBand[k] >= 0) bands[binBand[k]] += power[k] * w;
      if (binBand2[k] >= 0) bands[binBand2[k]] += power[k] * (1 - w);
    }
    const out = new Float32Array(FINE_BANDS);
    for (let b = 0; b < FINE_BANDS; b++) out[b] = toDb(bands[b] * this.scale);
    return out;
  }

  private append(samples: Int16Array): void {
    if (this.length + samples.length > this.buffer.length) {
      const grown = new Float32Array(max(this.buffer.length * 2, this.length + samples.length));
      grown.set(this.buffer.subarray(0, this.length));
      this.buffer = grown;
    }
    for (let i = 0; i < samples.length; i++) this.buffer[this.length + i] = samples[i];
    this.length += samples.length;
  }

  private discardBefore(position: number): void {
    const drop = Math.min(this.length, position - this.bufferStart);
    if (drop <= 0) return;
    this.buffer.copyWithin(0, drop, this.length);
    this.length -= drop;
    this.bufferStart += drop;
  }
}

function toDb(power: number): number {
  return power > 1e-10 ? max(SILENT_DB, 10 * log10(power)) : SILENT_DB;
}

/** The coarse (250 Hz) bands of a frame, in dB. */
export function coarseBands(fineDb: Float32Array): Float32Array {
  const out = new Float32Array(COARSE_BANDS);
  for (let c = 0; c < COARSE_BANDS; c++) {
    let sum = 0;
    for (let j = 0; j < COARSE_GROUP; j++) sum += 10 ** (fineDb[c * COARSE_GROUP + j] / 10);
    out[c] = toDb(sum);
  }
  return out;
}

/** Total power of a frame over all bands, in dB. */
export function frameLevel(fineDb: Float32Array): number {
  let sum = 0;
  for (let b = 0; b < fineDb.length; b++) sum += 10 ** (fineDb[b] / 10);
  return toDb(sum);
}

/** All frames of a complete buffer. */
export function spectralFrames(samples: Int16Array, sampleRate: number): Float32Array[] {
  const frames: Float32Array[] = [];
  new SpectralFrameStream(sampleRate, (_i, f) => frames.push(f)).push(samples);
  return frames;
}
