import { Landmark, toleratedHashes } from '../features/landmarks';
import { COARSE_BANDS, FRAME_MS } from '../features/spectral-frames';
import { StoredSynthesis, StoredWord } from '../memory/stored-synthesis';
import { SynthesisMemory } from '../memory/synthesis-memory';
import { Agreement, SpectralFrames, spectralAgreement } from './spectral-agreement';

/** A word heard in the query, timed in the query's stream (ms from its first sample). */
export interface HeardWord extends StoredWord {
  offsetMs: number;
  durationMs: number;
}

/** What a stretch of audio was recognised as. */
export interface SpeechMatch {
  synthesis: StoredSynthesis;
  words: HeardWord[];
  /** How well the spectra agree (0 … 1). */
  confidence: number;
}

/** The winner needs this many landmark votes at one alignment ... */
const MIN_VOTES = 4;
/** ... this share of the stored landmarks in the stretch it claims ... */
const MIN_SHARE = 0.25;
/**
 * ... and spectra this alike over at least MIN_OVERLAP active frames. A short stretch must agree more closely:
 * one word can sound much like another ("yep", "yes"), a sentence cannot.
 */
const MIN_CORRELATION = 0.75;
const MIN_CORRELATION_SHORT = 0.92;
const SHORT_FRAMES = 70;
const LONG_FRAMES = 150;
const MIN_OVERLAP = 15;
/** ... and most of what sounds in the query must lie on sound of the synthesis: part of a sentence is not it. */
const MIN_COVERAGE = 0.6;
/** Query frames this far above the utterance's quietest tenth are sound (speech or anything else) ... */
const SOUND_ABOVE_FLOOR_DB = 10;
/** ... and, like stored frames, no further than this below the loudest. */
const STORED_ACTIVE_RANGE_DB = 40;
const CANDIDATES = 3;
/** Alignments around the voted one that the spectral check tries. */
const REFINE_FRAMES = 2;
/** An utterance longer than this is matched on its first minute. */
const MAX_FRAMES = 6000;
/** A word is heard where its own frames agree this well (words shorter than MIN_WORD_FRAMES are not judged). */
const MIN_WORD_CORRELATION = 0.5;
const MIN_WORD_FRAMES = 5;
/** A word's quiet release leaves little trace: count it heard this close to the end of what arrived. */
const PARTIAL_TOLERANCE_MS = 80;

/** From MIN_CORRELATION_SHORT at SHORT_FRAMES of overlap down to MIN_CORRELATION at LONG_FRAMES. */
function requiredCorrelation(overlap: number): number {
  const t = Math.max(0, Math.min(1, (LONG_FRAMES - overlap) / (LONG_FRAMES - SHORT_FRAMES)));
  return MIN_CORRELATION + (MIN_CORRELATION_SHORT - MIN_CORRELATION) * t;
}

interface Candidate {
  serial: number;
  offset: number;
  votes: number;
}

/**
 * Matching of one utterance against the stored syntheses, fed as its audio arrives. Landmarks vote for
 * (synthesis, alignment) pairs — a stored landmark at frame s and the same landmark in the query at frame q vote
 * for offset s − q — and the best alignments are checked against the stored spectrum, which rejects chance
 * agreement. The matched stretch of the synthesis selects the words; the alignment times them in the query.
 */
export class UtteranceMatcher implements SpectralFrames {
  private coarse = new Float32Array(COARSE_BANDS * 256);
  private levels = new Float32Array(256);
  private count = 0;
  private readonly votes = new Map<number, Map<number, number>>();
  private soundFloorCache: { to: number; level: number } | undefined;

  /** `startFrame`: the stream frame this utterance's audio starts at. */
  constructor(
    private readonly memory: SynthesisMemory,
    readonly startFrame: number,
  ) {}

  get frames(): number {
    return this.count;
  }

  coarseDb(frame: number, band: number): number {
    return this.coarse[frame * COARSE_BANDS + band];
  }

  levelDb(frame: number): number {
    return this.levels[frame];
  }

  /** The next frame of the utterance (stream frame startFrame + frames). */
  addFrame(coarseDb: Float32Array, levelDb: number): void {
    if (this.count >= MAX_FRAMES) return;
    if (this.count >= this.levels.length) {
      const coarse = new Float32Array(this.coarse.length * 2);
      coarse.set(this.coarse);
      this.coarse = coarse;
      const levels = new Float32Array(this.levels.length * 2);
      levels.set(this.levels);
      this.levels = levels;
    }
    this.coarse.set(coarseDb, this.count * COARSE_BANDS);
    this.levels[this.count++] = levelDb;
  }

  /** A landmark of the stream (frame numbers are the stream's); those before the utterance are ignored. */
  addLandmark(landmark: Landmark): void {
    const frame = landmark.frame - this.startFrame;
    if (frame < 0 || frame >= MAX_FRAMES) return;
    for (const hash of toleratedHashes(landmark.hash)) {
      this.memory.index.forEach(hash, (serial, storedFrame) => {
        let byOffset = this.votes.get(serial);
        if (!byOffset) this.votes.set(serial, (byOffset = new Map<number, number>()));
        const offset = storedFrame - frame;
        byOffset.set(offset, (byOffset.get(offset) ?? 0) + 1);
      });
    }
  }

  /**
   * `final`: the words whose middle lies in the matched stretch, up to `endFrame` (a stream frame: where the
   * speech ended). `partial`: the words heard completely so far. Undefined when this is no known synthesis.
   */
  match(mode: 'partial' | 'final', endFrame = this.startFrame + this.count): SpeechMatch | undefined {
    const to = Math.min(this.count, endFrame - this.startFrame);
    for (const candidate of this.candidates()) {
      const synthesis = this.memory.get(candidate.serial);
      if (!synthesis) continue;
      const claimed = synthesis.landmarksBetween(candidate.offset, candidate.offset + to);
      if (candidate.votes < MIN_SHARE * claimed) continue;
      const aligned = this.refine(synthesis, candidate.offset, to);
      const { correlation, overlap } = aligned.agreement;
      if (overlap < MIN_OVERLAP || correlation < requiredCorrelation(overlap)) continue;
      if (this.coverage(synthesis, Math.round(aligned.offset), to) < MIN_COVERAGE) continue;
      const words = this.wordsIn(synthesis, aligned.offset, to, mode);
      if (words.length === 0) continue;
      this.memory.touch(synthesis);
      return { synthesis, words, confidence: Math.round(aligned.agreement.correlation * 1000) / 1000 };
    }
    return undefined;
  }

  /** The best-voted alignment of each synthesis (votes of neighbouring offsets pooled), best first. */
  private candidates(): Candidate[] {
    const best: Candidate[] = [];
    for (const [serial, byOffset] of this.votes) {
      let top: Candidate | undefined;
      for (const [offset, n] of byOffset) {
        const votes = n + (byOffset.get(offset - 1) ?? 0) + (byOffset.get(offset + 1) ?? 0);
        if (votes >= MIN_VOTES && (!top || votes > top.votes)) top = { serial, offset, votes };
      }
      if (top) best.push(top);
    }
    return best.sort((a, b) => b.votes - a.votes).slice(0, CANDIDATES);
  }

  /** The share of the query's sounding frames [0, to) that lie on active frames of the synthesis. */
  private coverage(synthesis: StoredSynthesis, offset: number, to: number): number {
    const soundFloor = this.soundFloor(to);
    const storedFloor = synthesis.maxLevel - STORED_ACTIVE_RANGE_DB;
    let sounding = 0;
    let covered = 0;
    for (let q = 0; q < to; q++) {
      if (this.levels[q] < soundFloor) continue;
      sounding++;
      const s = q + offset;
      if (s >= 0 && s < synthesis.frames && synthesis.levelDb(s) >= storedFloor) covered++;
    }
    return sounding === 0 ? 0 : covered / sounding;
  }

  /** From the query's first sounding frame to just past its last (in [0, to)): where it has something to say. */
  private soundingSpan(to: number): { from: number; to: number } {
    const floor = this.soundFloor(to);
    let from = 0;
    while (from < to && this.levels[from] < floor) from++;
    let end = to;
    while (end > from && this.levels[end - 1] < floor) end--;
    return { from, to: end };
  }

  /** The level above which a query frame [0, to) is sound rather than its silence or background noise. */
  private soundFloor(to: number): number {
    if (this.soundFloorCache?.to === to) return this.soundFloorCache.level;
    const levels = Array.from(this.levels.subarray(0, to)).sort((a, b) => a - b);
    const quietest = levels[Math.floor(levels.length / 10)] ?? 0;
    const level = Math.max(
      quietest + SOUND_ABOVE_FLOOR_DB,
      (levels[levels.length - 1] ?? 0) - STORED_ACTIVE_RANGE_DB,
    );
    this.soundFloorCache = { to, level };
    return level;
  }

  /** The alignment near `offset` whose spectra agree best, refined to a fraction of a frame. */
  private refine(
    synthesis: StoredSynthesis,
    offset: number,
    to: number,
  ): { offset: number; agreement: Agreement } {
    const tried = new Map<number, Agreement>();
    const at = (o: number): Agreement => {
      let a = tried.get(o);
      if (!a) tried.set(o, (a = spectralAgreement(synthesis, this, o, this.soundingSpan(to))));
      return a;
    };
    let bestOffset = offset;
    for (let o = offset - REFINE_FRAMES; o <= offset + REFINE_FRAMES; o++) {
      if (at(o).correlation > at(bestOffset).correlation) bestOffset = o;
    }
    // A parabola through the best and its neighbours places the peak between frames.
    const [l, c, r] = [at(bestOffset - 1), at(bestOffset), at(bestOffset + 1)].map((a) => a.correlation);
    const curvature = l - 2 * c + r;
    const shift = curvature < 0 ? Math.max(-0.5, Math.min(0.5, (l - r) / (2 * curvature))) : 0;
    return { offset: bestOffset + shift, agreement: at(bestOffset) };
  }

  /**
   * The words of the stretch the query covers (by their middle; partial: only words already complete), each
   * checked on its own: a word counts only where the query's spectrum agrees with it, so the query's silence or
   * noise next to the speech does not claim the synthesis's neighbouring words.
   */
  private wordsIn(
    synthesis: StoredSynthesis,
    offset: number,
    to: number,
    mode: 'partial' | 'final',
  ): HeardWord[] {
    // Stored time = query time + offset frames; the query's frame 0 is stream frame startFrame.
    const fromMs = offset * FRAME_MS;
    const toMs = (to + offset) * FRAME_MS;
    const shiftMs = (offset - this.startFrame) * FRAME_MS;
    const frameOffset = Math.round(offset);
    return synthesis.words
      .filter((w) => {
        const middle = (w.startMs + w.endMs) / 2;
        if (middle < fromMs) return false;
        if (mode === 'final' ? middle > toMs : w.endMs > toMs + PARTIAL_TOLERANCE_MS) return false;
        const from = Math.ceil(w.startMs / FRAME_MS) - frameOffset;
        const until = Math.min(to, Math.floor(w.endMs / FRAME_MS) - frameOffset);
        const agreement = spectralAgreement(synthesis, this, frameOffset, {
          from: Math.max(0, from),
          to: until,
        });
        return agreement.overlap < MIN_WORD_FRAMES || agreement.correlation >= MIN_WORD_CORRELATION;
      })
      .map((w) => ({
        ...w,
        offsetMs: Math.max(0, w.startMs - shiftMs),
        durationMs: w.endMs - w.startMs,
      }));
  }
}
