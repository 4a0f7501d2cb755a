import type { OnDemandResourcePoolOptions } from './pool-options';
import { WarmableResourcePool } from './warmable-resource-pool';

/**
 * A pool without a warm stack and without a background task: every allocation that is not a session's
 * DEDICATED resource calls the factory (COLD), and released resources are destroyed unless a waiter at the cap
 * takes them. The cap, waiting, session caching, books and shutdown are the warmable pool's own code.
 *
 * With session awareness, the idle policy runs only when maintain() is called (there is no background task):
 * end sessions with releaseForSession() or call maintain() periodically. An idle session's resource is still lent
 * to an acquire at the cap. See README.md in this folder for a worked example.
 */
export class OnDemandResourcePool<T> extends WarmableResourcePool<T> {
  constructor(options: OnDemandResourcePoolOptions<T>) {
    // Spread first so that untyped callers cannot switch the warm stack or the background task back on.
    super({
      ...options,
      warmPoolSize: 0,
      warmMaxSize: undefined,
      trimIdleMs: undefined,
      enableBackgroundWarmup: false,
      warmFn: undefined,
      maxIdleMs: undefined,
    });
  }
}
