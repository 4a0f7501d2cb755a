/**
 * The upload bytes the whole process holds in memory (HTTP_UPLOAD_MEMORY): an upload that has to be held before
 * it can be recognized takes its bytes from here while they last and spools the rest to a temporary file, so
 * many slow or unfinished uploads cost disk, not the process's memory limit.
 */
export class UploadMemoryBudget {
  private heldBytes = 0;

  constructor(readonly maxBytes: number) {}

  /** Bytes held right now, by every upload together. */
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
