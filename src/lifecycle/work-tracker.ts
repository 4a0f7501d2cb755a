import { Injectable } from '@nestjs/common';

interface Tracked {
  done: Promise<void>;
  stop: (() => void) | undefined;
}

/**
 * Every piece of speech work in flight, whatever the transport: syntheses and recognitions from the moment they
 * are accepted, and pool releases until they settle. Shutdown waits on it (`drain`), stops what outlasts the drain
 * (`stopAll`), and the pools shut down only once it is empty; tests and benchmarks wait on `settled` for the
 * pools' books. Whoever tracks a promise reports how it ended: only its end matters here.
 */
@Injectable()
export class WorkTracker {
  private readonly running = new Set<Tracked>();

  /** Work (or releases) still in flight. */
  get size(): number {
    return this.running.size;
  }

  /** Keeps `done` in the books until it settles; `stop` is how shutdown ends it early (absent: it just waits). */
  track(done: Promise<unknown>, stop?: () => void): void {
    const entry: Tracked = {
      done: done.then(
        () => undefined,
        () => undefined,
      ),
      stop,
    };
    this.running.add(entry);
    void entry.done.then(() => this.running.delete(entry));
  }

  /** Stops everything still running that can be stopped (shutdown, once the drain is over). */
  stopAll(): void {
    for (const entry of [...this.running]) entry.stop?.();
  }

  /** Resolves once nothing is in flight, including work that started while waiting. */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running].map((entry) => entry.done));
  }

  /** Resolves true once nothing is in flight, or false after `timeoutMs`. */
  async drain(timeoutMs: number): Promise<boolean> {
    if (this.running.size === 0) return true;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    try {
      return await Promise.race([this.settled().then(() => true as const), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
