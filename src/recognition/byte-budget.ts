/**
 * Bytes the whole process may hold for one purpose (uploads waiting to be recognized, audio sent before a
 * recognizer is ready): a bound per request or session alone still lets many of them add up to the memory limit.
 */
export class ByteBudget {
  private heldBytes = 0;

  constructor(readonly maxBytes: number) {}

  /** Bytes held right now, by everyone together. */
  get held(): number {
    return this.heldBytes;
  }

  /** Takes `bytes` when they fit; false (nothing taken) when they do not. */
  tryTake(bytes: number): boolean {
    if (this.heldBytes + bytes > this.maxBytes) return false;
    this.heldBytes += bytes;
    return true;
  }

  /** Gives back what `tryTake` took. */
  giveBack(bytes: number): void {
    this.heldBytes = Math.max(0, this.heldBytes - bytes);
  }
}
