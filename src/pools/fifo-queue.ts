/**
 * FIFO queue on an array with a moving head index: push and shift are O(1) (Array.prototype.shift is O(n) on
 * large arrays). Entries that left early (timed out, aborted) are not searched for and spliced out; the owner
 * marks them dead and {@link shiftLive} skips them. Dead entries are compacted away once they dominate, so the
 * memory stays proportional to the live entries.
 */
export class FifoQueue<E> {
  private items: E[] = [];
  private head = 0;
  private dead = 0;

  constructor(private readonly isLive: (entry: E) => boolean) {}

  /** Entries still in the array, dead ones included until skipped or compacted. */
  get length(): number {
    return this.items.length - this.head;
  }

  push(entry: E): void {
    this.items.push(entry);
  }

  /**
   * Puts `entry` back before the first live entry it `precedes` (at the end if none): for an entry that left
   * the front and must return to its place. O(n), for rare returns only.
   */
  insertOrdered(entry: E, precedes: (entry: E, other: E) => boolean): void {
    let at = this.head;
    while (at < this.items.length && !(this.isLive(this.items[at]) && precedes(entry, this.items[at]))) at++;
    this.items.splice(at, 0, entry);
  }

  /** Removes and returns the oldest live entry, dropping dead ones before it. */
  shiftLive(): E | undefined {
    while (this.head < this.items.length) {
      const entry = this.items[this.head];
      this.items[this.head] = undefined as E; // release the reference for the GC
      this.head++;
      if (this.isLive(entry)) {
        this.maybeReset();
        return entry;
      }
      this.dead--;
    }
    this.maybeReset();
    return undefined;
  }

  /** The owner marked an entry dead; O(1), the entry is skipped later. */
  markedDead(): void {
    this.dead++;
    if (this.dead > 1024 && this.dead * 2 > this.length) this.compact();
  }

  /** Removes every entry (live or dead) and returns the live ones in order. */
  drain(): E[] {
    const live = this.items.slice(this.head).filter(this.isLive);
    this.items = [];
    this.head = 0;
    this.dead = 0;
    return live;
  }

  private maybeReset(): void {
    if (this.head === this.items.length) {
      this.items.length = 0;
      this.head = 0;
      this.dead = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }

  private compact(): void {
    this.items = this.items.slice(this.head).filter(this.isLive);
    this.head = 0;
    this.dead = 0;
  }
}
