import { anchorMaskFor, computeAnchors, FINGERPRINT_WINDOW, RollingAnchorHasher } from './audio-fingerprint';
import { RenderedSpeech, TimedWord } from '../synthesis/speech-voice';

/** One synthesis the emulator produced recently, indexed by its anchors. */
interface FingerprintEntry {
  key: string;
  sampleRate: number;
  text: string;
  words: TimedWord[];
  hashes: Uint32Array;
  positions: Int32Array;
}

interface Posting {
  entry: FingerprintEntry;
  position: number;
}

/** What a stretch of audio was recognised as. */
export interface FingerprintMatch {
  /** The words heard, as written (punctuation kept), e.g. "Hello, world." */
  display: string;
  /** Lower-case words without punctuation, e.g. "hello world". */
  lexical: string;
  words: TimedWord[];
  /** Share of the query's anchors that agree with the match (1 = every anchor). */
  coverage: number;
}

export interface FingerprintStoreOptions {
  maxEntries?: number;
  /** Bound on indexed anchors over all entries (memory: tens of bytes each). */
  maxAnchors?: number;
}

/** Anchors of one (entry, alignment) pair that agreed so far. */
interface Vote {
  entry: FingerprintEntry;
  offset: number;
  hits: number;
  firstQuery: number;
  lastQuery: number;
}

const MIN_HITS = 8;
const MIN_COVERAGE = 0.6;
/** An anchor hash repeated more often than this inside one entry says nothing about alignment. */
const MAX_POSTINGS_PER_HASH = 32;

/**
 * Recent syntheses, so recognition can tell which text an utterance is. Matching: every anchor of the query
 * audio looks up the entries holding the same hash and votes for (entry, stored position - query position).
 * Bit-exact audio makes almost every anchor vote for one alignment; the winner must collect at least
 * {@link MIN_HITS} votes and {@link MIN_COVERAGE} of all query anchors, so audio that merely shares a stretch
 * with another synthesis (a common word) or is mixed with other sound is not taken for it. The matched span of
 * the entry then selects the words. Bounded: oldest entries are evicted first.
 */
export class AudioFingerprintStore {
  private readonly entries = new Map<string, FingerprintEntry>();
  private readonly index = new Map<number, Map<number, Posting[]>>(); // rate -> hash -> postings
  private anchorCount = 0;
  private readonly maxEntries: number;
  private readonly maxAnchors: number;

  constructor(options: FingerprintStoreOptions = {}) {
    this.maxEntries = options.maxEntries ?? 256;
    this.maxAnchors = options.maxAnchors ?? 500_000;
  }

  get size(): number {
    return this.entries.size;
  }

  /** `key` names identical renders (same text, voice, rate): adding it again only refreshes its recency. */
  add(key: string, speech: RenderedSpeech): void {
    const existing = this.entries.get(key);
    if (existing) {
      this.entries.delete(key);
      this.entries.set(key, existing);
      return;
    }
    if (speech.words.length === 0) return; // nothing to recognise
    const { hashes, positions } = computeAnchors(speech.samples, speech.sampleRate);
    const entry: FingerprintEntry = {
      key,
      sampleRate: speech.sampleRate,
      text: speech.text,
      words: speech.words,
      hashes,
      positions,
    };
    let byHash = this.index.get(entry.sampleRate);
    if (!byHash) {
      byHash = new Map();
      this.index.set(entry.sampleRate, byHash);
    }
    for (let i = 0; i < hashes.length; i++) {
      const list = byHash.get(hashes[i]);
      if (!list) byHash.set(hashes[i], [{ entry, position: positions[i] }]);
      else if (list.length < MAX_POSTINGS_PER_HASH) list.push({ entry, position: positions[i] });
    }
    this.entries.set(key, entry);
    this.anchorCount += hashes.length;
    while (
      this.entries.size > this.maxEntries ||
      (this.anchorCount > this.maxAnchors && this.entries.size > 1)
    ) {
      const oldest = this.entries.values().next();
      if (oldest.done) break;
      this.remove(oldest.value);
    }
  }

  /** A matcher for one utterance whose first sample will have absolute position `startPosition`. */
  createQuery(sampleRate: number, startPosition = 0): FingerprintQuery {
    return new FingerprintQuery(this.index.get(sampleRate), sampleRate, startPosition);
  }

  private remove(entry: FingerprintEntry): void {
    this.entries.delete(entry.key);
    this.anchorCount -= entry.hashes.length;
    const byHash = this.index.get(entry.sampleRate);
    if (!byHash) return;
    for (const hash of entry.hashes) {
      const list = byHash.get(hash);
      if (!list) continue;
      const kept = list.filter((p) => p.entry !== entry);
      if (kept.length === 0) byHash.delete(hash);
      else byHash.set(hash, kept);
    }
  }
}

/** Incremental matching of one utterance; feed it audio as it arrives, ask for the best match at any time. */
export class FingerprintQuery {
  private readonly hasher: RollingAnchorHasher;
  private readonly votes = new Map<FingerprintEntry, Map<number, Vote>>();
  private best: Vote | undefined;
  private anchors = 0;
  /** A word's quiet release carries no anchors: count it heard this close to the matched end. */
  private readonly endTolerance: number;

  constructor(
    private readonly byHash: Map<number, Posting[]> | undefined,
    sampleRate: number,
    startPosition: number,
  ) {
    this.endTolerance = Math.round(sampleRate * 0.08);
    this.hasher = new RollingAnchorHasher(
      anchorMaskFor(sampleRate),
      (h, p) => this.onAnchor(h, p),
      startPosition,
    );
  }

  feed(samples: Int16Array): void {
    this.hasher.push(samples);
  }

  /**
   * `final`: the words whose middle lies in the matched audio. `partial`: only words already complete in it
   * (the prefix heard so far). Undefined when the audio is not (yet) a synthesis the store knows.
   */
  match(mode: 'partial' | 'final'): FingerprintMatch | undefined {
    const vote = this.best;
    if (!vote || vote.hits < MIN_HITS || vote.hits < MIN_COVERAGE * this.anchors) return undefined;
    const start = vote.offset + vote.firstQuery;
    const end = vote.offset + vote.lastQuery + FINGERPRINT_WINDOW;
    const words = vote.entry.words.filter((w) => {
      const middle = (w.startSample + w.endSample) / 2;
      return middle >= start && (mode === 'final' ? middle <= end : w.endSample <= end + this.endTolerance);
    });
    if (words.length === 0) return undefined;
    return {
      display: vote.entry.text.slice(words[0].charStart, words[words.length - 1].charEnd),
      lexical: words.map((w) => w.lexical).join(' '),
      words,
      coverage: vote.hits / this.anchors,
    };
  }

  private onAnchor(hash: number, position: number): void {
    this.anchors++;
    const postings = this.byHash?.get(hash);
    if (!postings) return;
    for (const posting of postings) {
      let byOffset = this.votes.get(posting.entry);
      if (!byOffset) {
        byOffset = new Map();
        this.votes.set(posting.entry, byOffset);
      }
      const offset = posting.position - position;
      let vote = byOffset.get(offset);
      if (!vote) {
        vote = { entry: posting.entry, offset, hits: 0, firstQuery: position, lastQuery: position };
        byOffset.set(offset, vote);
      }
      vote.hits++;
      vote.lastQuery = position;
      if (!this.best || vote.hits > this.best.hits) this.best = vote;
    }
  }
}
