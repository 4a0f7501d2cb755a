/** Runs `task` once the current event-loop turn's I/O has been handled (setImmediate); tests pass their own. */
export type Defer = (task: () => void) => void;

const deferToNextTurn: Defer = (task) => void setImmediate(task);

/** The most audio one coalesced message carries (64 KiB: 2 s of pcm-16k, 0.7 s of pcm-48k). */
export const MAX_COALESCED_AUDIO_BYTES = 64 * 1024;

/**
 * One request's audio on its way to a socket, as few messages as its arrival allows. The upstream delivers audio
 * in small chunks (~50 ms each), often many of them in one event-loop turn (faster than real time); one message
 * per chunk costs a Socket.IO packet pair and a socket write each, and at thousands of chunks a second those writes
 * were the server's largest cost and stretched its event-loop turns (docs/performance.md, "The tail in the steady
 * phase"). So a chunk that finds nothing waiting goes out at once — the first byte, and every chunk of audio that
 * arrives paced, never wait — and the chunks after it in the same turn are joined and sent when the turn ends (or
 * as soon as {@link MAX_COALESCED_AUDIO_BYTES} have gathered). Bytes keep their order; `seq` numbers the messages.
 */
export class CoalescedAudio {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** A send happened this turn (or audio waits): the next chunk joins the batch instead of going out alone. */
  private turnBusy = false;
  private seq = 0;

  constructor(
    private readonly send: (audio: Buffer, seq: number) => void,
    private readonly maxBytes: number = MAX_COALESCED_AUDIO_BYTES,
    private readonly defer: Defer = deferToNextTurn,
  ) {}

  /** Audio accepted but not sent yet. */
  get waitingBytes(): number {
    return this.pendingBytes;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    if (!this.turnBusy) {
      this.turnBusy = true;
      this.defer(this.endOfTurn);
      this.send(chunk, this.seq++);
      return;
    }
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingBytes >= this.maxBytes) this.flush();
  }

  /** Sends whatever waits now (before an answer or a word event that must follow it). */
  flush(): void {
    if (this.pendingBytes === 0) return;
    const { pending } = this;
    const audio = pending.length === 1 ? pending[0] : Buffer.concat(pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    this.send(audio, this.seq++);
  }

  private readonly endOfTurn = (): void => {
    this.flush();
    this.turnBusy = false;
  };
}
