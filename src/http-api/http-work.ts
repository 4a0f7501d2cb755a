import type { AbortReason } from '../synthesis/abort-reason';

/** One request being served: how to stop it, and when it is over (its pool client given back). */
interface Work {
  controller: AbortController;
  done: Promise<void>;
}

/**
 * The HTTP speech requests in flight, so that shutdown can let them finish (up to the drain time) and then stop
 * the rest, and so that no pool client is still out when the pools shut down.
 */
export class HttpWork {
  private readonly running = new Set<Work>();
  private draining = false;

  get isDraining(): boolean {
    return this.draining;
  }

  get size(): number {
    return this.running.size;
  }

  beginDraining(): void {
    this.draining = true;
  }

  /** Runs `work` with a signal that aborts at shutdown; resolves or rejects like it. */
  run<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    const result = work(controller.signal);
    this.add(controller, result);
    return result;
  }

  /**
   * Also waits for `promise` (a pool release) before the pools may shut down. Only its end matters here: whoever
   * made it reports how it ended.
   */
  track(promise: Promise<unknown>): void {
    this.add(new AbortController(), promise);
  }

  private add(controller: AbortController, result: Promise<unknown>): void {
    const entry: Work = {
      controller,
      done: result.then(
        () => undefined,
        () => undefined,
      ),
    };
    this.running.add(entry);
    void entry.done.then(() => this.running.delete(entry));
  }

  /** Resolves true once nothing runs, or false after `timeoutMs`. */
  async drain(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    const idle = (async (): Promise<true> => {
      while (this.running.size > 0) await Promise.all([...this.running].map((work) => work.done));
      return true;
    })();
    try {
      return await Promise.race([idle, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  abortAll(reason: AbortReason): void {
    for (const work of this.running) work.controller.abort(reason);
  }
}
