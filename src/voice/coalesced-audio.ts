/** Runs `task` after `ms` (setTimeout); returns a cancel. Tests pass their own. */
export type Schedule = (task: () => void, ms: number) => () => void;

const scheduleTimer: Schedule = (task, ms) => {
  const timer = setTimeout(task, ms);
  return () => clearTimeout(timer);
};

/** The most audio one coalesced message carries (64 KiB: 2 s of pcm-16k, 0.7 s of pcm-48k). */
export const MAX_COALESCED_AUDIO_BYTES = 64 * 1024;

/**
 * How long after a send the chunks that follow are gathered into one message. Far shorter than the audio of one
 * upstream chunk (~50 ms), so a listener that plays the first chunk never waits for the second.
 */
export const COALESCE_WINDOW_MS = 10;

/**
 * One request's audio on its way to a socket, as few messages as its arrival allows. The upstream delivers audio
 * in small chunks (~50 ms each), often dozens of them within a few milliseconds (faster than real time); one
 * message per chunk costs a Socket.IO packet pair and a socket write each, and at thousands of chunks a second
 * those writes were the server's largest cost and stretched its event-loop turns (docs/performance.md, "The tail in
 * the steady phase"). So a chunk that comes when nothing was sent for {@link COALESCE_WINDOW_MS} goes out at once —
 * the first byte never waits, nor does audio that arrives at its own pace — and the chunks that follow a send
 * within the window are joined and sent when it closes (or as soon as {@link MAX_COALESCED_AUDIO_BYTES} have
 * gathered). Bytes keep their order; `seq` numbers the messages.
 */
export class CoalescedAudio {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Cancels the open window's timer; null when no window is open (the next chunk goes out at once). */
  private window: (() => void) | null = null;
  private seq = 0;

  constructor(
    private readonly send: (audio: Buffer, seq: number) => void,
    private readonly windowMs: number = COALESCE_WINDOW_MS,
    private readonly maxBytes: number = MAX_COALESCED_AUDIO_BYTES,
    private readonly schedule: Schedule = scheduleTimer,
  ) {}

  /** Audio accepted but not sent yet. */
  get waitingBytes(): number {
    return this.pendingBytes;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    if (this.window === null) {
      this.sendNow(chunk);
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
    this.sendNow(audio);
  }

  /** The request is answered: sends what waits and closes the window (no timer outlives the request). */
  close(): void {
    this.flush();
    this.window?.();
    this.window = null;
  }

  private sendNow(audio: Buffer): void {
    this.send(audio, this.seq++);
    if (this.window === null) this.window = this.schedule(this.windowEnds, this.windowMs);
  }

  /** Audio gathered in the window goes out and opens the next window; an empty window closes. */
  private readonly windowEnds = (): void => {
    this.window = null;
    this.flush();
  };
}
