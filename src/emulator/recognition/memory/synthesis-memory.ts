import { LANDMARK_HASH_SPACE, LandmarkExtractor } from '../features/landmarks';
import { coarseBands, frameLevel, SpectralFrameStream } from '../features/spectral-frames';
import { LandmarkIndex } from './landmark-index';
import { StoredSynthesis, StoredWord } from './stored-synthesis';

export interface SynthesisMemoryOptions {
  /** Bound on what all stored syntheses cost together (default 16 MiB). */
  maxBytes?: number;
  /** Bound on how many are kept (default 1024). */
  maxEntries?: number;
}

/** A landmark seen this often in one synthesis says nothing about where in it a query is. */
const MAX_POSTINGS_PER_HASH = 32;

/**
 * The syntheses this emulator produced recently, so recognition can tell what a stretch of audio says. Bounded by
 * a byte budget and an entry count; the least recently used entry (synthesized or recognised) goes first.
 */
export class SynthesisMemory {
  /** By key, in recency order (oldest first). */
  private readonly entries = new Map<string, StoredSynthesis>();
  private readonly bySerial = new Map<number, StoredSynthesis>();
  readonly index = new LandmarkIndex((serial) => this.bySerial.has(serial));
  private nextSerial = 1;
  private storedBytes = 0;
  private readonly maxBytes: number;
  private readonly maxEntries: number;

  constructor(options: SynthesisMemoryOptions = {}) {
    this.maxBytes = options.maxBytes ?? 16 * 1024 * 1024;
    this.maxEntries = options.maxEntries ?? 1024;
  }

  get size(): number {
    return this.entries.size;
  }

  /** What the complete entries cost, by {@link StoredSynthesis.bytes}. */
  get bytes(): number {
    return this.storedBytes;
  }

  /**
   * Starts remembering a synthesis at `sampleRate`: tell the recording its words and feed it the audio as both are
   * produced, then finish it. `key`, when the render is known up front, names identical renders (same text,
   * voice, rate): a known key only counts as a use, and there is nothing to record.
   */
  record(sampleRate: number, key?: string): SynthesisRecording | undefined {
    const known = key === undefined ? undefined : this.entries.get(key);
    if (known) {
      this.touch(known);
      return undefined;
    }
    const serial = this.nextSerial++;
    // Running recordings go under a name of their own: only a finished render claims its key.
    const entry = new StoredSynthesis(serial, `#${serial}`);
    this.entries.set(entry.key, entry);
    this.bySerial.set(serial, entry);
    return new SynthesisRecording(entry, sampleRate, this.index, (name) => this.completed(entry, name));
  }

  get(serial: number): StoredSynthesis | undefined {
    return this.bySerial.get(serial);
  }

  /** Marks an entry used (recognised), so it is evicted last. */
  touch(entry: StoredSynthesis): void {
    if (this.entries.get(entry.key) !== entry) return;
    this.entries.delete(entry.key);
    this.entries.set(entry.key, entry);
  }

  private completed(entry: StoredSynthesis, key: string | undefined): void {
    if (this.bySerial.get(entry.serial) !== entry) return;
    if (entry.words.length === 0) {
      this.remove(entry, false); // nothing to recognise
      return;
    }
    if (key !== undefined) {
      const known = this.entries.get(key);
      if (known) {
        // The same render finished meanwhile (two at once, or a streamed turn that said what another said).
        this.touch(known);
        this.remove(entry, false);
        return;
      }
      this.entries.delete(entry.key);
      entry.key = key;
      this.entries.set(key, entry);
    }
    this.storedBytes += entry.bytes;
    for (const oldest of this.entries.values()) {
      if (this.storedBytes <= this.maxBytes && this.entries.size <= this.maxEntries) break;
      if (oldest.complete) this.remove(oldest); // recordings still running are never evicted
    }
  }

  /** `counted`: its bytes are in the books (it completed as an entry of its own). */
  private remove(entry: StoredSynthesis, counted = true): void {
    this.entries.delete(entry.key);
    this.bySerial.delete(entry.serial);
    if (counted) this.storedBytes -= entry.bytes;
    this.index.forget(entry.postings);
  }
}

/**
 * Feeds one synthesis into its entry as it is produced: its words sentence by sentence (`say`, before their
 * audio), its audio (spectrum frames, landmarks into the shared index).
 */
export class SynthesisRecording {
  private readonly frames: SpectralFrameStream;
  private readonly landmarks: LandmarkExtractor;
  private perHash: Uint8Array | undefined = new Uint8Array(LANDMARK_HASH_SPACE);
  private finished = false;

  constructor(
    private readonly entry: StoredSynthesis,
    sampleRate: number,
    index: LandmarkIndex,
    private readonly onFinish: (key: string | undefined) => void,
  ) {
    this.landmarks = new LandmarkExtractor((landmark) => {
      const seen = this.perHash;
      if (!seen || seen[landmark.hash] >= MAX_POSTINGS_PER_HASH) return;
      seen[landmark.hash]++;
      index.add(landmark.hash, entry.serial, landmark.frame);
      entry.postings++;
      entry.countLandmark(landmark.frame);
    });
    this.frames = new SpectralFrameStream(sampleRate, (_i, fine) => {
      entry.appendFrame(coarseBands(fine), frameLevel(fine));
      this.landmarks.push(fine);
    });
  }

  /** Words about to be heard, timed in this synthesis's audio (from its first sample). */
  say(words: readonly StoredWord[]): void {
    if (!this.finished) this.entry.addWords(words);
  }

  push(samples: Int16Array): void {
    if (!this.finished) this.frames.push(samples);
  }

  /**
   * The synthesis is over (complete, stopped or failed): what was produced so far is what is remembered. `key`
   * names a complete render (identical ones are kept once); a stopped or failed one stays unnamed.
   */
  finish(key?: string): void {
    if (this.finished) return;
    this.finished = true;
    this.landmarks.flush();
    this.perHash = undefined;
    this.entry.seal();
    this.onFinish(key);
  }
}
