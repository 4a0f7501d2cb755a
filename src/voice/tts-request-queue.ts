import { CANCELED, type AbortReason } from '../synthesis/abort-reason';

/** One queued synthesis. `run` should never reject; its `signal` aborts on cancel(requestId) and cancelAll(). */
export interface TtsJob {
  readonly requestId: string;
  /**
   * Runs the request; it must watch `signal` and settle soon after it aborts (`signal.reason` says why). A job
   * answered while it waited (stopped at shutdown) returns at once.
   */
  run(signal: AbortSignal): Promise<void>;
  /** The job was dropped before it started, for `reason`: answer its request (it never runs). */
  abandon(reason: AbortReason): void;
}

interface Slot {
  job: TtsJob;
  controller: AbortController;
}

/**
 * A session's synthesis requests, served one at a time in arrival order (one synthesizer per session; the SDK
 * would serialise them anyway). Bounded: `maxPending` requests may wait behind the running one, beyond that
 * `enqueue` refuses.
 */
export class TtsRequestQueue {
  private readonly waiting: Slot[] = [];
  private running: Slot | null = null;

  constructor(private readonly maxPending: number) {}

  /** True when a request with this id is waiting or running. */
  has(requestId: string): boolean {
    return (
      this.running?.job.requestId === requestId || this.waiting.some((s) => s.job.requestId === requestId)
    );
  }

  /** Adds a request; false (nothing queued) when `maxPending` requests already wait. */
  enqueue(job: TtsJob): boolean {
    if (this.waiting.length >= this.maxPending) return false;
    this.waiting.push({ job, controller: new AbortController() });
    this.pump();
    return true;
  }

  /** Cancels a waiting request (answered at once) or aborts the running one; false when the id is unknown. */
  cancel(requestId: string): boolean {
    if (this.running?.job.requestId === requestId) {
      this.running.controller.abort(CANCELED);
      return true;
    }
    const index = this.waiting.findIndex((s) => s.job.requestId === requestId);
    if (index < 0) return false;
    const [slot] = this.waiting.splice(index, 1);
    slot.controller.abort(CANCELED);
    slot.job.abandon(CANCELED);
    return true;
  }

  /** Drops every waiting request and aborts the running one, all for `reason`. */
  cancelAll(reason: AbortReason): void {
    for (const slot of this.waiting.splice(0)) {
      slot.controller.abort(reason);
      slot.job.abandon(reason);
    }
    this.running?.controller.abort(reason);
  }

  private pump(): void {
    if (this.running !== null) return;
    const slot = this.waiting.shift();
    if (slot === undefined) return;
    this.running = slot;
    void slot.job
      .run(slot.controller.signal)
      .catch(() => undefined)
      .finally(() => {
        this.running = null;
        this.pump();
      });
  }
}
