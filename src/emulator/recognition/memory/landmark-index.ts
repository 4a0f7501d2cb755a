import { LANDMARK_HASH_SPACE } from '../features/landmarks';

/**
 * Where each landmark hash occurs in the stored syntheses: per hash a packed list of (entry serial, frame) pairs.
 * Removing an entry only marks it gone (lookups skip it); the lists are compacted once the dead postings
 * outnumber the live ones, so removal stays cheap and memory stays proportional to what is stored.
 */
export class LandmarkIndex {
  private readonly lists: Array<Int32Array | undefined> = new Array<Int32Array | undefined>(
    LANDMARK_HASH_SPACE,
  );
  private readonly lengths = new Int32Array(LANDMARK_HASH_SPACE);
  private livePostings = 0;
  private deadPostings = 0;

  constructor(private readonly isLive: (serial: number) => boolean) {}

  /** Bytes held by the posting lists (capacity, not just use). */
  get bytes(): number {
    let total = this.lengths.byteLength;
    for (const list of this.lists) if (list) total += list.byteLength;
    return total;
  }

  add(hash: number, serial: number, frame: number): void {
    let list = this.lists[hash];
    const length = this.lengths[hash];
    if (!list || length + 2 > list.length) {
      const grown = new Int32Array(Math.max(8, (list?.length ?? 0) * 2));
      if (list) grown.set(list.subarray(0, length));
      list = grown;
      this.lists[hash] = list;
    }
    list[length] = serial;
    list[length + 1] = frame;
    this.lengths[hash] = length + 2;
    this.livePostings++;
  }

  /** Calls `visit` for every live posting of `hash`. */
  forEach(hash: number, visit: (serial: number, frame: number) => void): void {
    const list = this.lists[hash];
    if (!list) return;
    const length = this.lengths[hash];
    for (let i = 0; i < length; i += 2) if (this.isLive(list[i])) visit(list[i], list[i + 1]);
  }

  /** `count` postings belong to an entry that is gone. */
  forget(count: number): void {
    this.livePostings -= count;
    this.deadPostings += count;
    if (this.deadPostings > this.livePostings && this.deadPostings > 10_000) this.compact();
  }

  private compact(): void {
    for (let hash = 0; hash < LANDMARK_HASH_SPACE; hash++) {
      const list = this.lists[hash];
      if (!list) continue;
      const length = this.lengths[hash];
      let kept = 0;
      for (let i = 0; i < length; i += 2) {
        if (!this.isLive(list[i])) continue;
        list[kept] = list[i];
        list[kept + 1] = list[i + 1];
        kept += 2;
      }
      this.lengths[hash] = kept;
      this.lists[hash] = kept === 0 ? undefined : list.slice(0, Math.max(8, kept));
    }
    this.deadPostings = 0;
  }
}
