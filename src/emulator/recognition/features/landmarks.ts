import { FINE_BANDS, SILENT_DB } from './spectral-frames';

/** A pair of spectral peaks: `hash` packs their bands and time distance, `frame` is the first peak's frame. */
export interface Landmark {
  hash: number;
  frame: number;
}

export type LandmarkSink = (landmark: Landmark) => void;

/** A peak is the loudest point within ±1 frame and ±2 bands ... */
const PEAK_DT = 1;
const PEAK_DB = 2;
/** ... no more than this far below the loudest band of the last second (gain does not matter, noise stays out) */
const PEAK_RANGE_DB = 30;
const LEVEL_WINDOW = 30;
const MAX_PEAKS_PER_FRAME = 5;
/** Each peak pairs with up to FANOUT later peaks 1-10 frames on, within ±15 bands. */
const TARGET_MAX_DT = 10;
const TARGET_MAX_DB = 15;
const FANOUT = 5;
const RING = 32;

interface Peak {
  band: number;
  level: number;
}

/**
 * Shazam-style landmarks over the fine spectral frames: local maxima of the time-frequency plane, paired into
 * (band, band distance, frame distance) hashes. Peaks are what survives noise, gain and resampling: the loudest
 * harmonics stay the loudest, and their frequencies and timing do not change. Streaming: frames in order,
 * landmarks out {@link TARGET_MAX_DT} + {@link PEAK_DT} frames later; `flush()` at the end of the audio.
 */
export class LandmarkExtractor {
  private readonly frames: Array<Float32Array | undefined> = new Array<Float32Array | undefined>(RING);
  private readonly peaks: Peak[][] = Array.from({ length: RING }, () => []);
  private readonly levels: Array<{ frame: number; level: number }> = []; // monotonic deque: max of the window
  private received = 0;
  private peaksDone = 0; // frames whose peaks are known
  private anchorsDone = 0; // frames whose landmarks were emitted

  constructor(private readonly sink: LandmarkSink) {}

  push(frame: Float32Array): void {
    const index = this.received++;
    this.frames[index % RING] = frame;
    let loudest = SILENT_DB;
    for (let b = 0; b < FINE_BANDS; b++) if (frame[b] > loudest) loudest = frame[b];
    while (this.levels.length > 0 && this.levels[this.levels.length - 1].level <= loudest) this.levels.pop();
    this.levels.push({ frame: index, level: loudest });
    while (this.levels[0].frame <= index - LEVEL_WINDOW) this.levels.shift();
    this.advance(this.received - PEAK_DT, this.received - PEAK_DT - TARGET_MAX_DT);
  }

  /** End of the audio: the last frames' peaks and pairs, with the neighbours there are. */
  flush(): void {
    this.advance(this.received, this.received);
  }

  private advance(peaksUpTo: number, anchorsUpTo: number): void {
    for (; this.peaksDone < peaksUpTo; this.peaksDone++) this.findPeaks(this.peaksDone);
    for (; this.anchorsDone < anchorsUpTo; this.anchorsDone++) this.pair(this.anchorsDone);
  }

  private findPeaks(t: number): void {
    const found: Peak[] = [];
    const frame = this.frames[t % RING] as Float32Array;
    const floor = this.levels[0].level - PEAK_RANGE_DB;
    const first = Math.max(0, t - PEAK_DT, this.received - RING);
    const last = Math.min(this.received - 1, t + PEAK_DT);
    for (let b = 0; b < FINE_BANDS; b++) {
      const v = frame[b];
      if (v < floor || v <= SILENT_DB) continue;
      // Its own frame first: most candidates fail there, cheaply.
      if (this.outdone(t, t, b, v)) continue;
      let isPeak = true;
      for (let u = first; u <= last && isPeak; u++) if (u !== t && this.outdone(u, t, b, v)) isPeak = false;
      if (isPeak) found.push({ band: b, level: v });
    }
    found.sort((a, b) => b.level - a.level);
    this.peaks[t % RING] = found.slice(0, MAX_PEAKS_PER_FRAME);
  }

  /** True when frame u has a point near band b that beats level v at (t, b). Ties go to the earlier point. */
  private outdone(u: number, t: number, b: number, v: number): boolean {
    const other = this.frames[u % RING] as Float32Array;
    const hi = Math.min(FINE_BANDS - 1, b + PEAK_DB);
    for (let c = Math.max(0, b - PEAK_DB); c <= hi; c++) {
      if (u === t && c === b) continue;
      const before = u < t || (u === t && c < b);
      if (before ? other[c] >= v : other[c] > v) return true;
    }
    return false;
  }

  private pair(t: number): void {
    let emitted = 0;
    for (const anchor of this.peaks[t % RING]) {
      emitted = 0;
      for (let dt = 1; dt <= TARGET_MAX_DT && emitted < FANOUT && t + dt < this.peaksDone; dt++) {
        for (const target of this.peaks[(t + dt) % RING]) {
          const db = target.band - anchor.band;
          if (db < -TARGET_MAX_DB || db > TARGET_MAX_DB) continue;
          this.sink({ hash: landmarkHash(anchor.band, db, dt), frame: t });
          if (++emitted >= FANOUT) break;
        }
      }
    }
  }
}

/** 6 bits of band, 5 of band distance, 4 of frame distance: every hash is below {@link LANDMARK_HASH_SPACE}. */
function landmarkHash(band: number, bandDistance: number, frameDistance: number): number {
  return band | ((bandDistance + TARGET_MAX_DB) << 6) | (frameDistance << FRAME_DISTANCE_SHIFT);
}

const FRAME_DISTANCE_SHIFT = 11;
export const LANDMARK_HASH_SPACE = 1 << 15;

/**
 * The hash itself and the same pair one frame closer or further apart: a peak that straddles two frames lands in
 * either, depending on how the audio's start fell on the 10 ms grid, and this keeps such pairs matching.
 */
export function toleratedHashes(hash: number): number[] {
  const frameDistance = hash >> FRAME_DISTANCE_SHIFT;
  const out = [hash];
  if (frameDistance > 1) out.push(hash - (1 << FRAME_DISTANCE_SHIFT));
  if (frameDistance < TARGET_MAX_DT) out.push(hash + (1 << FRAME_DISTANCE_SHIFT));
  return out;
}

/** All landmarks of a complete sequence of frames. */
export function landmarksOf(frames: Float32Array[]): Landmark[] {
  const out: Landmark[] = [];
  const extractor = new LandmarkExtractor((l) => out.push(l));
  for (const f of frames) extractor.push(f);
  extractor.flush();
  return out;
}
