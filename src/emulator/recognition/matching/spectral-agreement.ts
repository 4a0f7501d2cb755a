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

/** Stored frames this far below the loudest are pauses: they say nothing about the words. */
const ACTIVE_RANGE_DB = 40;
/** Each band is floored this far below its own frame's level, so quiet bands (and noise in them) weigh little. */
const BAND_FLOOR_DB = 30;

/**
 * How alike a stretch of query audio and a stored synthesis are when query frame q is laid on stored frame
 * q + offset: the correlation of their coarse spectrograms (250 Hz bands, 10 ms frames) over the frames where the
 * stored audio is active. Correlation ignores a level change (gain), and flooring each band relative to its frame
 * keeps mild noise from dominating the quiet bands; unrelated speech or sound correlates weakly.
 */
export function spectralAgreement(
  stored: SpectralFrames & { readonly maxLevel: number },
  query: SpectralFrames,
  offset: number,
  queryFrom = 0,
  queryTo = query.frames,
): Agreement {
  let n = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  let overlap = 0;
  const activeFloor = stored.maxLevel - ACTIVE_RANGE_DB;
  for (let q = Math.max(queryFrom, -offset); q < Math.min(queryTo, stored.frames - offset); q++) {
    const s = q + offset;
    const storedLevel = stored.levelDb(s);
    if (storedLevel < activeFloor) continue;
    overlap++;
    const storedFloor = storedLevel - BAND_FLOOR_DB;
    const queryFloor = query.levelDb(q) - BAND_FLOOR_DB;
    for (let b = 0; b < COARSE_BANDS; b++) {
      const x = Math.max(stored.coarseDb(s, b), storedFloor);
      const y = Math.max(query.coarseDb(q, b), queryFloor);
      n++;
      sx += x;
      sy += y;
      sxx += x * x;
      syy += y * y;
      sxy += x * y;
    }
  }
  if (n < 2) return { correlation: 0, overlap };
  const varX = sxx / n - (sx / n) ** 2;
  const varY = syy / n - (sy / n) ** 2;
  const correlation = varX > 0 && varY > 0 ? (sxy / n - (sx / n) * (sy / n)) / Math.sqrt(varX * varY) : 0;
  return { correlation, overlap };
}
