import { COARSE_BANDS } from '../features/spectral-frames';

/** Frame access for both sides of a comparison: coarse band levels and the frame's level, in dB. */
export interface SpectralFrames {
  readonly frames: number;
  coarseDb(frame: number, band: number): number;
  levelDb(frame: number): number;
}

export interface Agreement {
  /** Pearson correlation of the two spectrograms where the stored audio is active (-1 … 1). */
  correlation: number;
  /** Active stored frames the comparison covered. */
  overlap: number;
}

/** Which query frames [from, to) to compare; with `querySoundFloor`, only those at least that loud. */
export interface AgreementRange {
  from?: number;
  to?: number;
  querySoundFloor?: number;
}

/** Stored frames this far below the loudest are pauses: they say nothing about the words. */
const ACTIVE_RANGE_DB = 40;
/** Each band is floored this far below its own frame's level, so quiet bands (and noise in them) weigh little. */
const BAND_FLOOR_DB = 30;

/**
 * How alike a stretch of query audio and a stored synthesis are when query frame q is laid on stored frame
 * q + offset: the correlation of their coarse spectrograms (250 Hz bands, 10 ms frames) over the frames where the
 * stored audio is active, each band centred on its mean. Correlation ignores a level change (gain), flooring each
 * band relative to its frame keeps mild noise from dominating the quiet bands, and centring the bands keeps the
 * voice's average spectrum from making any two of its sentences look alike.
 */
export function spectralAgreement(
  stored: SpectralFrames & { readonly maxLevel: number },
  query: SpectralFrames,
  offset: number,
  range: AgreementRange = {},
): Agreement {
  const activeFloor = stored.maxLevel - ACTIVE_RANGE_DB;
  const soundFloor = range.querySoundFloor ?? -Infinity;
  const first = Math.max(range.from ?? 0, -offset);
  const last = Math.min(range.to ?? query.frames, stored.frames - offset);
  const frames: number[] = [];
  for (let q = first; q < last; q++) {
    if (stored.levelDb(q + offset) >= activeFloor && query.levelDb(q) >= soundFloor) frames.push(q);
  }
  if (frames.length < 2) return { correlation: 0, overlap: frames.length };
  // Each band's mean over the compared frames is taken out on both sides: what is left is how the spectrum
  // moves (which sound when), not the voice's long-term spectral tilt, which all its speech shares.
  const x = new Float64Array(frames.length * COARSE_BANDS);
  const y = new Float64Array(frames.length * COARSE_BANDS);
  const meanX = new Float64Array(COARSE_BANDS);
  const meanY = new Float64Array(COARSE_BANDS);
  frames.forEach((q, i) => {
    const s = q + offset;
    const storedFloor = stored.levelDb(s) - BAND_FLOOR_DB;
    const queryFloor = query.levelDb(q) - BAND_FLOOR_DB;
    for (let b = 0; b < COARSE_BANDS; b++) {
      const xv = Math.max(stored.coarseDb(s, b), storedFloor);
      const yv = Math.max(query.coarseDb(q, b), queryFloor);
      x[i * COARSE_BANDS + b] = xv;
      y[i * COARSE_BANDS + b] = yv;
      meanX[b] += xv / frames.length;
      meanY[b] += yv / frames.length;
    }
  });
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = 0; i < x.length; i++) {
    const dx = x[i] - meanX[i % COARSE_BANDS];
    const dy = y[i] - meanY[i % COARSE_BANDS];
    sxx += dx * dx;
    syy += dy * dy;
    sxy += dx * dy;
  }
  const correlation = sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : 0;
  return { correlation, overlap: frames.length };
}
