import { COARSE_BANDS, SILENT_DB } from '../features/spectral-frames';

/** A word of a stored synthesis, timed in that synthesis's audio. */
export interface StoredWord {
  /** As written, without edge punctuation ("World"). */
  word: string;
  /** As written, with its punctuation ("World."). */
  display: string;
  /** Lower case, what a recognizer hears ("world"). */
  lexical: string;
  startMs: number;
  endMs: number;
  /** The locale of the voice that spoke it, e.g. de-DE (what language identification reports). */
  locale: string;
}

/** Quantised dB: half-dB steps from -100 dB, one byte each. */
const DB_STEP = 0.5;
const toByte = (db: number): number => Math.max(0, Math.min(255, Math.round((db - SILENT_DB) / DB_STEP)));
const fromByte = (q: number): number => SILENT_DB + q * DB_STEP;
/** Rough cost of a word object and its strings, for the byte budget. */
const WORD_BYTES = 96;
const ENTRY_OVERHEAD_BYTES = 256;

/**
 * One synthesis as recognition remembers it: its words, per 10 ms frame the coarse spectrum and level (one byte a
 * value) and how many of its landmarks the index holds for that frame. Its landmark postings live in the shared
 * index. Filled while the synthesis streams, sentence by sentence (a recognizer can match it before it is
 * complete, and a streamed turn does not know its later sentences yet).
 */
export class StoredSynthesis {
  private coarse = new Uint8Array(COARSE_BANDS * 128);
  private levels = new Uint8Array(128);
  private landmarkCounts = new Uint8Array(128);
  private frameCount = 0;
  private loudest = SILENT_DB;
  /** Landmark postings this entry put in the index. */
  postings = 0;
  complete = false;
  private readonly spoken: StoredWord[] = [];
  private textLength = 0;

  constructor(
    readonly serial: number,
    /** The name of this render, for telling identical ones apart; a placeholder until the synthesis is over. */
    public key: string,
  ) {}

  /** Its words so far, in time order. */
  get words(): readonly StoredWord[] {
    return this.spoken;
  }

  /** More of what the synthesis says, before its audio is recorded (word times in this synthesis's audio). */
  addWords(words: readonly StoredWord[]): void {
    for (const w of words) {
      this.spoken.push(w);
      this.textLength += w.display.length + 1;
    }
  }

  get frames(): number {
    return this.frameCount;
  }

  /** The loudest frame's level, dB: what "active" is measured against. */
  get maxLevel(): number {
    return this.loudest;
  }

  coarseDb(frame: number, band: number): number {
    return fromByte(this.coarse[frame * COARSE_BANDS + band]);
  }

  levelDb(frame: number): number {
    return fromByte(this.levels[frame]);
  }

  /** Indexed landmarks anchored in frames [from, to). */
  landmarksBetween(from: number, to: number): number {
    let n = 0;
    for (let f = Math.max(0, from); f < Math.min(to, this.frameCount); f++) n += this.landmarkCounts[f];
    return n;
  }

  /** What this entry costs: its frames, its postings in the index, its words and text. */
  get bytes(): number {
    return (
      this.frameCount * (COARSE_BANDS + 2) +
      this.postings * 8 +
      this.spoken.length * WORD_BYTES +
      this.textLength * 2 +
      ENTRY_OVERHEAD_BYTES
    );
  }

  appendFrame(coarseDb: Float32Array, levelDb: number): void {
    const f = this.frameCount;
    if (f >= this.levels.length) this.grow(this.levels.length * 2);
    for (let b = 0; b < COARSE_BANDS; b++) this.coarse[f * COARSE_BANDS + b] = toByte(coarseDb[b]);
    this.levels[f] = toByte(levelDb);
    if (levelDb > this.loudest) this.loudest = levelDb;
    this.frameCount++;
  }

  countLandmark(frame: number): void {
    if (frame < this.frameCount && this.landmarkCounts[frame] < 255) this.landmarkCounts[frame]++;
  }

  /** The recording is over: keep exactly what is used. */
  seal(): void {
    this.grow(this.frameCount);
    this.complete = true;
  }

  private grow(frames: number): void {
    const coarse = new Uint8Array(frames * COARSE_BANDS);
    coarse.set(this.coarse.subarray(0, this.frameCount * COARSE_BANDS));
    this.coarse = coarse;
    this.levels = resized(this.levels, frames, this.frameCount);
    this.landmarkCounts = resized(this.landmarkCounts, frames, this.frameCount);
  }
}

function resized(array: Uint8Array, length: number, used: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(length);
  out.set(array.subarray(0, used));
  return out;
}
