/** Counters a pool keeps over its lifetime (published as-is by the REST API). */
export interface PoolMetrics {
  allocationsTotal: number;
  allocationsDedicated: number;
  allocationsWarm: number;
  allocationsCold: number;
  /** (dedicated + warm) / total; null before the first allocation. */
  hitRate: number | null;
  /** Maintenance cycles run (the published name predates the maintenance task doing more than warm-ups). */
  warmupCycles: number;
  warmupFailures: number;
  factoryFailures: number;
  resourcesCreated: number;
  resourcesDestroyed: number;
  /**
   * Idle resources closed (included in destroyed): warm ones above the warm size unused for trimIdleMs, and what
   * trimIdle() closed (warm ones, then idle session resources).
   */
  resourcesTrimmed: number;
  /** Session resources the idle policy returned to the warm stack (see sessionMaxAgeMs). */
  staleSessionsEvicted: number;
  acquireTimeouts: number;
  /** Epoch ms when the snapshot was taken (from the pool's clock). */
  timestamp: number;
}

/** One upstream the pool's resources connect to (several upstreams: the failover order). */
export interface PoolUpstreamShare {
  /** The region or host, never a credential. */
  name: string;
  /** `closed`: takes new resources; `open`: skipped after repeated refusals; `half-open`: one probe may try. */
  circuit: 'closed' | 'open' | 'half-open';
  /** Live resources on it. */
  resources: number;
}

/** A point-in-time view of a pool, serialised as-is by the REST API. */
export interface PoolSnapshot {
  name: string;
  /** prepare() finished, the pool is not shut down, and the factory is not in failure backoff. */
  ready: boolean;
  /** Idle resources on the warm stack right now (including those being warmed or re-validated by the pool). */
  warmPoolSize: number;
  warmPoolTarget: number;
  /** Released resources are kept warm up to this many; maintenance trims the extras above the target. */
  warmPoolMax: number;
  /** null when the pool is uncapped (JSON has no Infinity). */
  maxSize: number | null;
  /** Live resources: idle + session-bound + in use + being created. */
  size: number;
  /** Resources handed out (plain acquires, and session-bound whether or not their session is using them). */
  inUse: number;
  pendingAcquires: number;
  sessionAwareness: boolean;
  activeSessions: number;
  backgroundWarmup: boolean;
  /** Factory health: while it keeps failing, background creation backs off exponentially. */
  factory: {
    consecutiveFailures: number;
    /** ms until the next background attempt; 0 when not backing off. */
    backoffRemainingMs: number;
    /** Message of the last factory failure (never contains credentials); null after a success. */
    lastError: string | null;
  };
  metrics: PoolMetrics;
  /** Where the resources connect, when the pool's owner says (the speech pools do), in priority order. */
  upstreams?: PoolUpstreamShare[];
}
