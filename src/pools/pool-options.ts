import type { Clock } from './clock';
import type { CreationGate } from './creation-gate';
import type { PoolObserver } from './pool-observer';
import type { PoolUpstreamShare } from './pool-snapshot';

/** How background creation backs off while the factory keeps failing. */
export interface FactoryBackoffOptions {
  /** Delay after the first failure; doubles with each consecutive failure. Default 1_000. */
  initialMs?: number;
  /** Upper bound of the delay. Default 60_000. */
  maxMs?: number;
  /**
   * Fraction (0..1) of the delay that is randomised away, so a fleet of replicas does not retry in lockstep.
   * Default 0.2; use 0 in tests for exact delays.
   */
  jitter?: number;
  /** Random source in [0, 1) for the jitter. Default Math.random. */
  random?: () => number;
}

/** Options of {@link WarmableResourcePool}. Every duration is in milliseconds. */
export interface WarmableResourcePoolOptions<T> {
  /** Public pool name (snapshot, metrics labels, error messages). */
  name: string;
  /** Creates one resource. Each call counts against maxSize until it settles. */
  factory: () => Promise<T>;
  /** Warms a freshly created (or long idle) resource; false or a throw is a counted warm-up failure. */
  warmFn?: (resource: T) => Promise<boolean>;
  /** Default: `resource.dispose()` if it exists, otherwise `resource.close()`. Called exactly once per resource. */
  destroy?: (resource: T) => Promise<void> | void;
  /** Default: `resource.isReady?.() ?? true`. Checked when a resource leaves or re-enters the warm stack. */
  validate?: (resource: T) => boolean | Promise<boolean>;
  /** Default true; false = single use: destroyed on release and replaced in the background. */
  reusable?: boolean;
  /** Idle resources kept ready: the refill tops the warm stack up to this. Default 0 (on-demand behaviour). */
  warmPoolSize?: number;
  /**
   * Released resources are kept warm up to this many (instead of being destroyed), so under session churn the
   * pool stops creating. Default 2 × warmPoolSize (at most maxSize); must lie within warmPoolSize..maxSize.
   */
  warmMaxSize?: number;
  /** Warm resources above warmPoolSize unused this long are closed by maintenance. Default 60_000. */
  trimIdleMs?: number;
  /** Cap on live resources: idle + session-bound + in use + being created. Default Infinity. */
  maxSize?: number;
  /** Runs the maintenance task every warmupIntervalMs (top-up, freshness, idle policy). Default false. */
  enableBackgroundWarmup?: boolean;
  /** Default 30_000. */
  warmupIntervalMs?: number;
  /**
   * Cache one resource per session id (DEDICATED tier): acquireForSession() binds it, sessionIdle() marks it
   * unused (the pool may then lend it), releaseForSession() ends the binding. Default false.
   */
  sessionAwareness?: boolean;
  /**
   * The session half of the idle policy. A session's resource goes back to the warm stack (the session is forgotten
   * and gets WARM or COLD next time; event `session-evicted`, reason `idle`) at the first maintenance cycle after
   * whichever comes first:
   * - `sessionMaxAgeMs` since the session's last acquireForSession() (it may still be using it: the pool cannot
   *   tell an abandoned session from a busy one, so this also holds for a library user who never calls
   *   sessionIdle());
   * - `maxIdleMs` since the session said it stopped using it (sessionIdle()) without acquiring it again.
   *
   * On the warm stack the resource's idle time goes on from when it was last used, so one idle for maxIdleMs is
   * re-validated and re-warmed in the same cycle. Default 1_800_000.
   */
  sessionMaxAgeMs?: number;
  /**
   * Idle time after which a resource must be refreshed (e.g. because the upstream drops idle connections). A warm
   * resource idle this long is re-validated and re-warmed by maintenance, or replaced; a session's resource unused
   * this long since sessionIdle() goes back to the warm stack (see sessionMaxAgeMs). Default Infinity.
   */
  maxIdleMs?: number;
  /** Longest wait at the cap before PoolTimeoutError. Default 5_000. */
  acquireTimeoutMs?: number;
  /**
   * Delay between a warm pull and the refill it triggers. Default 0 (next tick). A few tens of ms keep the
   * replacement's creation (synchronous work in the factory) off the acquirer's own first request.
   */
  refillDelayMs?: number;
  /** Time source; default the system clock with unref'd timers. */
  clock?: Clock;
  /** Optional hooks for metrics and logs. */
  observer?: PoolObserver;
  /** Backoff of background creation while the factory fails. */
  factoryBackoff?: FactoryBackoffOptions;
  /**
   * A budget beyond maxSize that every creation must take from first (e.g. one shared by several processes):
   * taken before each factory call, given back once per destroyed resource. Default none.
   */
  creationGate?: CreationGate;
  /** Where the resources connect, for the snapshot (the pool itself does not know). */
  upstreams?: () => PoolUpstreamShare[];
}

/** OnDemandResourcePool has no warm stack and no background task, so the warm-up options do not apply. */
export type OnDemandResourcePoolOptions<T> = Omit<
  WarmableResourcePoolOptions<T>,
  | 'warmFn'
  | 'warmPoolSize'
  | 'warmMaxSize'
  | 'trimIdleMs'
  | 'enableBackgroundWarmup'
  | 'warmupIntervalMs'
  | 'maxIdleMs'
  | 'refillDelayMs'
>;
