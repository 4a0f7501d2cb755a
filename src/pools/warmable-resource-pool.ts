import { AllocationTier } from './allocation-tier';
import type { Clock, ClockTimer } from './clock';
import type { CreationGate } from './creation-gate';
import { FactoryBackoff } from './factory-backoff';
import { PendingAllocation, PendingState } from './pending-allocation';
import { PoolClosedError, PoolSessionReleasedError, PoolTimeoutError } from './pool-errors';
import { PoolEventHub } from './pool-event-hub';
import type { PoolEvent, SessionEvictionReason } from './pool-observer';
import type { WarmableResourcePoolOptions } from './pool-options';
import { Slot, SlotState } from './pool-slot';
import type { PoolSnapshot } from './pool-snapshot';
import { PoolStatistics } from './pool-statistics';
import { rejectWith, untilAborted } from './rejections';
import { clearSessionState, isPromiseLike } from './resource-defaults';
import type { AcquireOptions, ResourcePool, SessionAllocation } from './resource-pool';
import { resolvePoolOptions, type ResolvedPoolOptions } from './resolve-pool-options';
import { SessionBindings, type SessionBinding } from './session-bindings';
import { longestUnusedFirst, sessionExpiresAt, staleWarm, surplusWarm } from './idle-policy';
import { SlotLedger } from './slot-ledger';
import { WarmCheck } from './warm-check';
import { WaiterQueue } from './waiter-queue';
import { WarmRefill } from './warm-refill';

// Shared settled promises: the synchronous paths return these instead of allocating new ones.
const RESOLVED: Promise<void> = Promise.resolve();
const RESOLVED_FALSE: Promise<boolean> = Promise.resolve(false);
const RESOLVED_TRUE: Promise<boolean> = Promise.resolve(true);
const toResource = <T>(allocation: SessionAllocation<T>): T => allocation.resource;
const toTrue = (): boolean => true;
const toFalse = (): boolean => false;
const noop = (): void => undefined;
/** `usedAt` of a resource that comes back from use (or was just created) now: read the clock only if it stamps. */
const USED_NOW = -1;
/** `usedAt` of a resource that did not come back from a caller (it was re-warmed): its unused time goes on. */
const NOT_USED = -2;

/**
 * A pool that keeps `warmPoolSize` resources created and warmed ahead of demand, and keeps released ones warm up
 * to `warmMaxSize` so that returning clients serve the next arrivals instead of new connections.
 *
 * Allocation: DEDICATED (the session's cached resource, if it still validates) > WARM (top of the warm stack, or
 * a resource handed over to a waiter by a release, an idle session or a background creation) > COLD (factory call
 * for this caller) > wait in FIFO order at the cap. The hot paths (WARM pop, DEDICATED lookup) are synchronous and
 * return one resolved promise.
 *
 * Session binding: a session keeps its resource between its requests. When it is not using it (sessionIdle()),
 * the resource may serve others: an acquire that would wait at the cap reclaims the least recently idle one, a
 * session that goes idle while someone waits hands its resource over, trimIdle() closes idle ones after the warm
 * stack's, and the idle policy (see {@link WarmableResourcePoolOptions.sessionMaxAgeMs}) returns them to the warm
 * stack. None of these takes a resource its session is using; only the age limit (sessionMaxAgeMs without an
 * acquire) ends a binding whatever its use, as the pool cannot tell an abandoned session from a busy one.
 *
 * This class routes requests; its parts keep their own books: the {@link SlotLedger} (where every resource is,
 * the warm stack, the per-state counts), {@link SessionBindings} (which session holds what, and who is idle),
 * {@link PoolStatistics} (the published counters), {@link WarmRefill} (top-up and factory backoff) and
 * {@link PoolEventHub} (observer and listeners).
 *
 * Resources are tracked by identity, so the factory must return distinct objects.
 */
export class WarmableResourcePool<T> implements ResourcePool<T> {
  readonly name: string;

  private readonly opts: ResolvedPoolOptions<T>;
  private readonly clock: Clock;
  private readonly target: number;
  private readonly warmMax: number;
  private readonly maxSize: number;
  /** Warm-stack timestamps are read only for re-warming (maxIdleMs) and trimming; otherwise no clock is read. */
  private readonly stampsWarm: boolean;
  private readonly trims: boolean;
  /** Sessions expire by age (sessionMaxAgeMs finite): the DEDICATED path stamps each acquire. */
  private readonly stampsAcquire: boolean;
  /** Maintenance looks at session bindings (some idle limit is finite). */
  private readonly expiresSessions: boolean;

  private readonly ledger = new SlotLedger<T>();
  private readonly sessions = new SessionBindings<T>();
  private readonly stats = new PoolStatistics();
  private readonly events: PoolEventHub;
  private readonly refill: WarmRefill;
  private readonly waiters: WaiterQueue<T>;
  /** Allocations with a factory call or an async validation running, so shutdown can reject them at once. */
  private readonly inFlight = new Set<PendingAllocation<T>>();
  /** Optional budget beyond maxSize (see CreationGate); null in a plain pool. */
  private readonly gate: CreationGate | null;
  /** Set when the gate refused synchronously, so a loop handing out capacity stops instead of spinning. */
  private gateShut = false;
  /** Async operations (factory calls, checks, warm-ups, destroys) that shutdown() waits for. */
  private busy = 0;

  private closed = false;
  private prepared = false;
  private preparePromise: Promise<void> | null = null;
  private shutdownPromise: Promise<void> | null = null;
  private onDrained: (() => void) | null = null;
  private maintenanceTimer: ClockTimer | null = null;

  constructor(options: WarmableResourcePoolOptions<T>) {
    this.opts = resolvePoolOptions(options);
    this.name = this.opts.name;
    this.clock = this.opts.clock;
    this.target = this.opts.warmPoolSize;
    this.warmMax = this.opts.warmMaxSize;
    this.maxSize = this.opts.maxSize;
    this.trims = this.warmMax > this.target && Number.isFinite(this.opts.trimIdleMs);
    this.stampsWarm = this.trims || Number.isFinite(this.opts.maxIdleMs);
    this.stampsAcquire = this.opts.sessionAwareness && Number.isFinite(this.opts.sessionMaxAgeMs);
    this.expiresSessions =
      this.stampsAcquire || (this.opts.sessionAwareness && Number.isFinite(this.opts.maxIdleMs));
    this.events = new PoolEventHub(this.opts.observer);
    this.waiters = new WaiterQueue<T>(this.clock);
    const backoff = new FactoryBackoff(
      this.opts.backoffInitialMs,
      this.opts.backoffMaxMs,
      this.opts.backoffJitter,
      this.opts.random,
    );
    this.refill = new WarmRefill(this.target, this.opts.refillDelayMs, this.clock, backoff, {
      isClosed: () => this.closed,
      idleCount: () => this.ledger.idle,
      room: () => this.maxSize - this.ledger.live,
      createWarm: () => this.create(null),
    });
    this.gate = this.opts.creationGate;
    this.gate?.attach({
      name: this.name,
      pendingAcquires: () => this.waiters.size,
      idleCount: () => this.ledger.idle + this.sessions.idleCount,
      wake: () => this.onCapacityFreed(),
      trimIdle: (count) => this.trimIdle(count),
    });
  }

  // ---------------------------------------------------------------- public API

  /**
   * Fills the warm stack to its target and starts the maintenance task. Resolves once the first fill settled,
   * even if the factory failed (then `ready` stays false and background creation retries with backoff), so a
   * service can start while its upstream is down. Idempotent.
   */
  prepare(): Promise<void> {
    if (this.preparePromise !== null) return this.preparePromise;
    if (this.closed) return Promise.reject(new PoolClosedError(this.name));
    if (this.opts.enableBackgroundWarmup) this.scheduleMaintenance();
    this.preparePromise = Promise.all(this.refill.start()).then(() => {
      this.prepared = true;
    });
    return this.preparePromise;
  }

  /**
   * A warm resource (WARM), else a new one (COLD), else an idle session's resource (WARM), else waits in FIFO
   * order at the cap for up to `timeoutMs` (PoolTimeoutError) or until `signal` aborts. Synchronous hand-overs
   * report 0 ms latency to the observer: timing them (two clock reads) would cost more than the hand-over itself.
   */
  acquire(opts?: AcquireOptions): Promise<T> {
    const refused = this.refuse(opts);
    if (refused !== null) return refused;
    const warm = this.takeWarm();
    if (warm instanceof Slot) {
      this.ledger.move(warm, SlotState.OUT);
      this.handedOut(AllocationTier.WARM, null);
      this.refill.soon();
      return Promise.resolve(warm.resource);
    }
    return this.startPending(null, null, opts, warm).then(toResource);
  }

  /**
   * Clears the resource's session state and returns it to a waiter or the warm stack (up to warmMaxSize), or
   * destroys it (over warmMaxSize, invalid, single-use, or the pool is shut down). Releasing null, a resource this
   * pool did not hand out, a resource twice, or a session-bound resource (use releaseForSession) does nothing.
   */
  release(resource: T | null | undefined): Promise<void> {
    if (resource === null || resource === undefined) return RESOLVED;
    const slot = this.ledger.get(resource);
    if (slot === undefined || slot.state !== SlotState.OUT) return RESOLVED;
    this.ledger.move(slot, SlotState.FLOATING);
    return this.recycle(slot, USED_NOW);
  }

  /**
   * With session awareness and a session id: the session's resource (DEDICATED), else a WARM/COLD one that
   * becomes the session's. The session is using it from now until sessionIdle() or releaseForSession().
   *
   * The session's resource is validated first: one that is broken (validate() false; a busy client still counts
   * as valid) is destroyed and the session gets a WARM or COLD replacement. The caller serialises requests per
   * session, so the same resource may be handed out again while in use.
   *
   * Concurrent calls for a session whose resource is still being allocated wait for that allocation and then get
   * the session's resource as DEDICATED (one factory call). They share its outcome (its failure or timeout), except
   * that when its own caller aborts they ask again; their own `signal` cancels their own wait.
   *
   * Without session awareness, or with a null session id, this is acquire() reporting the tier.
   */
  acquireForSession(sessionId: string | null, opts?: AcquireOptions): Promise<SessionAllocation<T>> {
    const refused = this.refuse(opts);
    if (refused !== null) return refused;
    if (sessionId === null || !this.opts.sessionAwareness) return this.allocate(null, sessionId, opts);
    const binding = this.sessions.get(sessionId);
    if (binding === undefined) {
      return this.allocate(this.sessions.opened(sessionId, this.acquireStamp()), sessionId, opts);
    }
    const bound = binding.slot;
    if (bound === null) return this.join(binding.allocation as PendingAllocation<T>, sessionId, opts);
    const valid = this.checkValid(bound);
    if (valid === true) {
      if (this.stampsAcquire) binding.acquiredAt = this.clock.now();
      if (binding.idleSince !== null) this.sessions.awoke(binding);
      this.handedOut(AllocationTier.DEDICATED, sessionId);
      return Promise.resolve({ resource: bound.resource, tier: AllocationTier.DEDICATED });
    }
    this.sessions.unbound(binding);
    if (valid === false) {
      this.replace(bound, 'invalid');
      return this.allocate(binding, sessionId, opts);
    }
    this.ledger.move(bound, SlotState.CHECKING);
    return this.startPending(binding, sessionId, opts, new WarmCheck(bound, valid, AllocationTier.DEDICATED));
  }

  /**
   * The session is not using its resource now but keeps it: its next acquireForSession() gets it as DEDICATED,
   * unless someone needed it meanwhile. If an acquire is waiting at the cap it gets the resource at once (the
   * session then has none); otherwise the resource is idle: an acquire that would wait reclaims idle resources
   * least recently idle first, trimIdle() closes them, and the idle policy returns them to the warm stack.
   * Resolves true when the session still holds its resource, false when it holds none (unknown session, an
   * allocation still under way, or handed over), once a hand-over settled.
   */
  sessionIdle(sessionId: string | null): Promise<boolean> {
    if (sessionId === null || !this.opts.sessionAwareness) return RESOLVED_FALSE;
    const binding = this.sessions.get(sessionId);
    if (binding === undefined || binding.slot === null) return RESOLVED_FALSE;
    const now = this.clock.now();
    if (this.waiters.size > 0) return this.takeBack(binding, 'reclaimed', now, now).then(toFalse);
    this.sessions.wentIdle(binding, now);
    return RESOLVED_TRUE;
  }

  /**
   * Ends a session: its resource is recycled like a release (session state cleared, back to a waiter or the warm
   * stack if valid and reusable and below warmMaxSize, else destroyed). Resolves true when the session held a
   * resource. A still-running acquireForSession for the session is cancelled (its callers get
   * PoolSessionReleasedError). A `resource` handed out by a plain acquire (e.g. with a null session id) is
   * released as well.
   */
  releaseForSession(sessionId: string | null, resource?: T): Promise<boolean> {
    let plain: Promise<void> | null = null;
    if (resource !== undefined && resource !== null) {
      const slot = this.ledger.get(resource);
      if (slot !== undefined && slot.state === SlotState.OUT) plain = this.release(resource);
    }
    const binding =
      sessionId !== null && this.opts.sessionAwareness ? this.sessions.get(sessionId) : undefined;
    if (binding === undefined) {
      if (plain === null) return RESOLVED_FALSE;
      // Without a session cache the released resource is what "the session held".
      return sessionId === null || !this.opts.sessionAwareness ? plain.then(toTrue) : plain.then(toFalse);
    }
    this.sessions.closed(binding);
    const bound = binding.slot;
    if (bound === null) {
      const allocation = binding.allocation;
      if (allocation !== null) this.fail(allocation, new PoolSessionReleasedError(this.name, binding.id));
      return plain === null ? RESOLVED_FALSE : plain.then(toFalse);
    }
    this.ledger.move(bound, SlotState.FLOATING);
    const recycled = this.recycle(bound, USED_NOW);
    return plain === null ? recycled.then(toTrue) : Promise.all([plain, recycled]).then(toTrue);
  }

  onEvent(listener: (event: PoolEvent) => void): () => void {
    return this.events.subscribe(listener);
  }

  snapshot(): PoolSnapshot {
    const now = this.clock.now();
    const backoff = this.refill.backoff;
    return {
      name: this.name,
      ready: this.prepared && !this.closed && backoff.consecutiveFailures === 0,
      warmPoolSize: this.ledger.idle,
      warmPoolTarget: this.target,
      warmPoolMax: this.warmMax,
      maxSize: Number.isFinite(this.maxSize) ? this.maxSize : null,
      size: this.ledger.live,
      inUse: this.ledger.inUse,
      pendingAcquires: this.waiters.size,
      sessionAwareness: this.opts.sessionAwareness,
      activeSessions: this.sessions.size,
      backgroundWarmup: this.opts.enableBackgroundWarmup,
      factory: {
        consecutiveFailures: backoff.consecutiveFailures,
        backoffRemainingMs: backoff.remainingMs(now),
        lastError: backoff.lastError,
      },
      metrics: this.stats.metrics(this.ledger, now),
    };
  }

  /**
   * One maintenance cycle (the background task runs this every warmupIntervalMs): applies the idle policy to
   * session resources (back to the warm stack), closes warm extras above the warm size unused for trimIdleMs,
   * re-validates and re-warms warm resources idle for maxIdleMs (or replaces them), and tops the warm stack up
   * (respecting factory backoff). Resolves when the cycle's async work settled. Public so a pool without the
   * background task (e.g. OnDemandResourcePool) can be maintained explicitly.
   */
  maintain(): Promise<void> {
    if (this.closed) return RESOLVED;
    this.stats.maintenanceCycles++;
    const now = this.clock.now();
    const work = this.expireSessions(now);
    this.trimUnusedExtras(now);
    for (const refreshing of this.refreshIdle(now)) work.push(refreshing);
    for (const filling of this.refill.start()) work.push(filling);
    return work.length === 0 ? RESOLVED : Promise.all(work).then(noop);
  }

  /**
   * Closes up to `count` idle resources now: first warm ones, longest unused first, then session resources their
   * sessions are not using, least recently idle first (those sessions get WARM or COLD next time). Never one a
   * caller or a session is using. Returns how many it closed. For an owner that needs the capacity elsewhere (e.g.
   * a budget shared by several processes).
   */
  trimIdle(count: number): number {
    if (this.closed || count <= 0) return 0;
    let closed = 0;
    if (this.ledger.warm > 0) {
      for (const slot of longestUnusedFirst(this.ledger.warmSlots())) {
        if (closed >= count) break;
        this.stats.resourcesTrimmed++;
        this.destroySlot(slot);
        closed++;
      }
    }
    if (closed >= count || this.sessions.idleCount === 0) return closed;
    const now = this.clock.now();
    for (const binding of this.sessions.idleBindings()) {
      if (closed >= count) break;
      const slot = this.letGo(binding, 'trimmed', now);
      this.stats.resourcesTrimmed++;
      this.destroySlot(slot);
      closed++;
    }
    return closed;
  }

  /**
   * Idempotent (a second call returns the same promise). Stops the timers, rejects every waiting acquire with
   * PoolClosedError, destroys warm and session-bound resources, and resolves once in-flight factory calls,
   * checks and destroys settled (their resources destroyed). Resources still handed out are destroyed when
   * they are released.
   */
  shutdown(): Promise<void> {
    if (this.shutdownPromise !== null) return this.shutdownPromise;
    this.closed = true;
    if (this.maintenanceTimer !== null) this.clock.clearTimeout(this.maintenanceTimer);
    this.maintenanceTimer = null;
    this.refill.stop();

    const closedError = new PoolClosedError(this.name);
    for (const pending of this.waiters.drain()) this.fail(pending, closedError);
    for (const pending of [...this.inFlight]) this.fail(pending, closedError);
    for (const binding of this.sessions.all()) {
      if (binding.slot !== null) this.destroySlot(binding.slot);
      else if (binding.allocation !== null) this.fail(binding.allocation, closedError);
    }
    this.sessions.clear();
    for (const slot of [...this.ledger.warmSlots()]) this.destroySlot(slot);

    this.shutdownPromise =
      this.busy === 0
        ? RESOLVED
        : new Promise<void>((resolve) => {
            this.onDrained = resolve;
          });
    return this.shutdownPromise;
  }

  // ---------------------------------------------------------------- hand-out

  /** Why an acquire cannot start (closed, already aborted, bad timeout), as a rejected promise; else null. */
  private refuse(opts: AcquireOptions | undefined): Promise<never> | null {
    if (this.closed) return Promise.reject(new PoolClosedError(this.name));
    if (opts === undefined) return null;
    if (opts.signal?.aborted === true) return rejectWith(opts.signal.reason);
    const timeoutMs = opts.timeoutMs;
    if (timeoutMs !== undefined && !(timeoutMs >= 0)) {
      return Promise.reject(new TypeError(`timeoutMs must be >= 0 (got ${timeoutMs})`));
    }
    return null;
  }

  /** A WARM hand-out if the warm stack has one (bound to `binding` if given), else the slow path. */
  private allocate(
    binding: SessionBinding<T> | null,
    sessionId: string | null,
    opts: AcquireOptions | undefined,
  ): Promise<SessionAllocation<T>> {
    const warm = this.takeWarm();
    if (!(warm instanceof Slot)) return this.startPending(binding, sessionId, opts, warm);
    if (binding !== null) this.bind(binding, warm);
    else this.ledger.move(warm, SlotState.OUT);
    this.handedOut(AllocationTier.WARM, sessionId);
    this.refill.soon();
    return Promise.resolve({ resource: warm.resource, tier: AllocationTier.WARM });
  }

  /**
   * The one warm pop. The top of the warm stack if it validates synchronously (still on the stack: the caller
   * moves it at once); broken ones on the way are replaced; a resource whose validate() answers with a promise
   * comes back as a {@link WarmCheck} (already counted as in use); null when the stack is empty.
   */
  private takeWarm(): Slot<T> | WarmCheck<T> | null {
    for (let slot = this.ledger.topWarm(); slot !== undefined; slot = this.ledger.topWarm()) {
      const valid = this.checkValid(slot);
      if (valid === true) return slot;
      if (valid === false) {
        this.replace(slot, 'invalid');
        continue;
      }
      this.ledger.move(slot, SlotState.CHECKING);
      return new WarmCheck(slot, valid, AllocationTier.WARM);
    }
    return null;
  }

  private bind(binding: SessionBinding<T>, slot: Slot<T>): void {
    this.ledger.move(slot, SlotState.SESSION);
    this.sessions.bound(binding, slot, this.acquireStamp());
  }

  private acquireStamp(): number {
    return this.stampsAcquire ? this.clock.now() : 0;
  }

  /**
   * A synchronous hand-over: counted, and reported with a latency of exactly 0. Timing it (two clock reads,
   * 0.5-0.8 us per hand-over on the reference VM) took the WARM path to 2.0-3.4x generic-pool in the pool bench,
   * below its 3x target in most runs.
   */
  private handedOut(tier: AllocationTier, sessionId: string | null): void {
    this.stats.countAllocation(tier);
    this.events.allocated(tier, 0, sessionId);
  }

  /**
   * A caller for a session whose allocation is under way: once that allocation settles it asks again (and finds
   * the session's resource: DEDICATED), or shares the allocation's failure. See acquireForSession().
   */
  private join(
    allocation: PendingAllocation<T>,
    sessionId: string,
    opts: AcquireOptions | undefined,
  ): Promise<SessionAllocation<T>> {
    const again = (): Promise<SessionAllocation<T>> => this.acquireForSession(sessionId, opts);
    const joined = allocation.promise.then(again, (error: unknown) => {
      if (allocation.abandoned) return again();
      throw error;
    });
    const signal = opts?.signal;
    return signal === undefined ? joined : untilAborted(joined, signal);
  }

  // ---------------------------------------------------------------- allocation slow path

  /** Starts an allocation that cannot complete synchronously; `check` is a resource being validated for it. */
  private startPending(
    binding: SessionBinding<T> | null,
    sessionId: string | null,
    opts: AcquireOptions | undefined,
    check: WarmCheck<T> | null,
  ): Promise<SessionAllocation<T>> {
    const signal = opts?.signal;
    const pending = new PendingAllocation<T>(
      sessionId,
      binding !== null,
      opts?.timeoutMs ?? this.opts.acquireTimeoutMs,
      signal,
      this.clock.now(),
    );
    if (signal !== undefined) {
      pending.onAbort = () => this.abandon(pending);
      signal.addEventListener('abort', pending.onAbort, { once: true });
    }
    if (binding !== null) this.sessions.allocating(binding, pending);
    if (check === null) this.advance(pending);
    else this.awaitCheck(pending, check);
    return pending.promise;
  }

  /** Tries the warm stack, then the factory, then waits. */
  private advance(pending: PendingAllocation<T>): void {
    const warm = this.takeWarm();
    if (warm instanceof Slot) {
      this.complete(pending, warm, AllocationTier.WARM);
      this.refill.soon();
      return;
    }
    if (warm !== null) {
      this.awaitCheck(pending, warm);
      return;
    }
    if (this.ledger.live < this.maxSize) {
      this.createFor(pending);
      return;
    }
    this.wait(pending);
  }

  /**
   * Queues the allocation at the cap (FIFO) until capacity frees or its timeout, counted from when it first
   * started waiting, runs out. One the creation gate sent back returns to its place in the queue. If a session
   * is not using its resource, the least recently idle one is reclaimed for the oldest waiter at once (even for
   * an acquire that may not wait at all).
   */
  private wait(pending: PendingAllocation<T>): void {
    const now = this.clock.now();
    this.waiters.entered(pending, now);
    const idle = this.sessions.leastRecentlyIdle();
    if (idle !== undefined) void this.takeBack(idle, 'reclaimed', now, idle.idleSince ?? now);
    if (pending.state !== PendingState.QUEUED) return; // served at once
    const remainingMs = pending.timeoutMs - (now - pending.queuedAt);
    if (remainingMs <= 0) {
      this.timeOut(pending);
      return;
    }
    this.events.emit({ kind: 'waiter-queued', waiting: this.waiters.size });
    if (Number.isFinite(remainingMs)) {
      pending.timer = this.clock.setTimeout(() => {
        if (pending.state === PendingState.QUEUED) this.timeOut(pending);
      }, remainingMs);
    }
  }

  /** Waits for an async validate(): a pass hands the resource over, a failure replaces it and tries again. */
  private awaitCheck(pending: PendingAllocation<T>, check: WarmCheck<T>): void {
    pending.state = PendingState.CHECKING;
    this.inFlight.add(pending);
    this.busy++;
    const slot = check.slot;
    void check.valid.then((valid) => {
      this.ledger.move(slot, SlotState.FLOATING);
      if (this.closed) this.destroySlot(slot);
      else if (!valid) {
        this.replace(slot, 'invalid');
        if (pending.state === PendingState.CHECKING) {
          this.inFlight.delete(pending);
          pending.state = PendingState.NEW;
          this.advance(pending);
        }
      } else if (pending.state === PendingState.CHECKING) {
        this.complete(pending, slot, check.tier);
        if (check.tier === AllocationTier.WARM) this.refill.soon();
      } else if (check.tier === AllocationTier.DEDICATED) {
        // The session's caller left (and with it the session): its resource comes back like a release.
        void this.recycle(slot, USED_NOW);
      } else this.placeFree(slot, AllocationTier.WARM, NOT_USED);
      this.settledOne();
    });
  }

  private createFor(pending: PendingAllocation<T>): void {
    pending.state = PendingState.CREATING;
    this.inFlight.add(pending);
    void this.create(pending);
  }

  /** Hands `slot` to the allocation's caller (binding it to its session, if it has one) as `tier`. */
  private complete(pending: PendingAllocation<T>, slot: Slot<T>, tier: AllocationTier): void {
    this.finish(pending);
    const binding = pending.bindsSession ? this.sessions.get(pending.sessionId as string) : undefined;
    if (binding !== undefined && binding.allocation === pending) this.bind(binding, slot);
    else this.ledger.move(slot, SlotState.OUT);
    this.stats.countAllocation(tier);
    this.events.allocated(tier, this.clock.now() - pending.startedAt, pending.sessionId);
    pending.resolve({ resource: slot.resource, tier });
  }

  /** Rejects the allocation's caller; a session that never got its resource is forgotten. */
  private fail(pending: PendingAllocation<T>, error: unknown): void {
    if (pending.state === PendingState.DONE) return;
    this.finish(pending);
    this.forgetUnboundSession(pending);
    pending.reject(error);
  }

  private timeOut(pending: PendingAllocation<T>): void {
    this.stats.acquireTimeouts++;
    const waitedMs = pending.state === PendingState.QUEUED ? this.clock.now() - pending.queuedAt : 0;
    this.events.emit({ kind: 'acquire-timeout', waitedMs });
    this.fail(pending, new PoolTimeoutError(this.name, pending.timeoutMs));
  }

  /** The caller aborted: the allocation is cancelled (a factory call or check still running delivers to the pool). */
  private abandon(pending: PendingAllocation<T>): void {
    if (pending.state === PendingState.DONE) return;
    pending.abandoned = true;
    this.fail(pending, (pending.signal as AbortSignal).reason);
  }

  /** Marks the allocation DONE and undoes its waiter-queue/in-flight/timer/abort-listener bookkeeping (O(1)). */
  private finish(pending: PendingAllocation<T>): void {
    if (pending.state === PendingState.QUEUED) this.waiters.left();
    else if (pending.state === PendingState.CREATING || pending.state === PendingState.CHECKING) {
      this.inFlight.delete(pending);
    }
    pending.state = PendingState.DONE;
    if (pending.timer !== null) {
      this.clock.clearTimeout(pending.timer);
      pending.timer = null;
    }
    if (pending.onAbort !== null) {
      (pending.signal as AbortSignal).removeEventListener('abort', pending.onAbort);
      pending.onAbort = null;
    }
  }

  private forgetUnboundSession(pending: PendingAllocation<T>): void {
    if (!pending.bindsSession) return;
    const binding = this.sessions.get(pending.sessionId as string);
    if (binding === undefined || binding.allocation !== pending) return;
    binding.allocation = null;
    if (binding.slot === null) this.sessions.closed(binding);
  }

  // ---------------------------------------------------------------- creation

  /**
   * Creates a resource for `pending` (COLD) or for the warm stack (null): takes from the creation gate first, if
   * there is one, then calls the factory. Resolves when the result is placed.
   */
  private create(pending: PendingAllocation<T> | null): Promise<void> {
    this.ledger.startCreating(); // the gate's answer may take a round trip: the place under maxSize is held
    this.busy++;
    const gate = this.gate;
    if (gate === null) return this.callFactory(pending);
    let taken: boolean | Promise<boolean>;
    try {
      taken = gate.tryTake(pending === null ? 'refill' : 'acquire');
    } catch {
      taken = false;
    }
    if (taken === true) return this.callFactory(pending);
    if (taken === false) {
      this.gateRefused(pending);
      return RESOLVED;
    }
    return Promise.resolve(taken).then(
      (ok) => (ok === true ? this.callFactory(pending) : this.gateRefused(pending)),
      () => this.gateRefused(pending),
    );
  }

  /** The gate said no: the held place is freed; an acquire waits as at the cap, a refill is skipped. */
  private gateRefused(pending: PendingAllocation<T> | null): void {
    this.ledger.creationFailed();
    if (pending === null) this.refill.settled();
    else if (pending.state === PendingState.CREATING) {
      this.inFlight.delete(pending);
      pending.state = PendingState.NEW;
      if (this.closed) this.fail(pending, new PoolClosedError(this.name));
      else this.wait(pending);
    }
    this.gateShut = true;
    this.settledOne();
  }

  private callFactory(pending: PendingAllocation<T> | null): Promise<void> {
    if (this.closed && this.gate !== null) {
      // Shut down while the gate answered: give the take back instead of creating for nobody.
      this.gate.release();
      this.ledger.creationFailed();
      if (pending === null) this.refill.settled();
      this.settledOne();
      return RESOLVED;
    }
    let made: Promise<T>;
    try {
      made = Promise.resolve(this.opts.factory());
    } catch (error) {
      made = rejectWith(error);
    }
    return made.then(
      (resource) => this.created(resource, pending),
      (error: unknown) => this.createFailed(error, pending),
    );
  }

  private created(resource: T, pending: PendingAllocation<T> | null): Promise<void> | void {
    if (this.ledger.has(resource)) {
      // Keeping one resource twice would hand it to two callers and destroy it twice.
      return this.createFailed(new Error('factory returned a resource that is already in the pool'), pending);
    }
    const slot = this.ledger.add(resource);
    if (pending === null) this.refill.settled();
    const streak = this.refill.backoff.succeeded();
    if (streak > 0) {
      this.events.emit({ kind: 'factory-recovered', afterFailures: streak });
      this.refill.soon(true);
    }

    if (this.closed) {
      this.destroySlot(slot);
      if (pending !== null) this.fail(pending, new PoolClosedError(this.name));
    } else if (pending === null) {
      if (this.opts.warmFn !== null) return this.warmNew(slot);
      this.placeFree(slot, AllocationTier.WARM, USED_NOW);
    } else if (pending.state === PendingState.CREATING) {
      this.complete(pending, slot, AllocationTier.COLD);
    } else {
      // Its caller left; another waiter or the stack takes it.
      this.placeFree(slot, AllocationTier.COLD, USED_NOW);
    }
    this.settledOne();
  }

  private createFailed(error: unknown, pending: PendingAllocation<T> | null): void {
    this.ledger.creationFailed();
    this.gate?.release(); // every factory call was preceded by a granted take
    if (pending === null) this.refill.settled();
    this.stats.factoryFailures++;
    const backoff = this.refill.backoff;
    const backoffMs = backoff.failed(error, this.clock.now());
    this.events.emit({
      kind: 'factory-failed',
      error,
      consecutiveFailures: backoff.consecutiveFailures,
      backoffMs,
    });
    if (pending !== null) this.fail(pending, error);
    if (!this.closed) {
      this.onCapacityFreed();
      if (pending === null) this.refill.soon();
    }
    this.settledOne();
  }

  /** Warms a background-created resource; a failed warm-up is counted but the resource is still used. */
  private warmNew(slot: Slot<T>): Promise<void> {
    this.ledger.move(slot, SlotState.REFRESHING);
    return this.runWarm(slot).then(() => {
      this.ledger.move(slot, SlotState.FLOATING);
      this.placeFree(slot, AllocationTier.WARM, USED_NOW);
      this.settledOne();
    });
  }

  private async runWarm(slot: Slot<T>): Promise<boolean> {
    const warmFn = this.opts.warmFn;
    if (warmFn === null) return true;
    let warmed = false;
    let failure: unknown = new Error('warmFn returned false');
    try {
      warmed = (await warmFn(slot.resource)) === true;
    } catch (error) {
      failure = error;
    }
    if (!warmed) {
      this.stats.warmupFailures++;
      this.events.emit({ kind: 'warmup-failed', error: failure });
    }
    return warmed;
  }

  /** Capacity freed (destroy or failed factory call): waiters at the cap may now create. */
  private onCapacityFreed(): void {
    if (this.closed) return;
    this.gateShut = false;
    while (this.waiters.size > 0 && this.ledger.live < this.maxSize && !this.gateShut) {
      const pending = this.waiters.next();
      if (pending === undefined) break;
      this.createFor(pending);
    }
    this.refill.soon();
  }

  // ---------------------------------------------------------------- session idle policy

  /** The idle policy for sessions (see idle-policy.ts); the returned promises settle once the resources are placed. */
  private expireSessions(now: number): Promise<void>[] {
    if (!this.expiresSessions || this.sessions.size === 0) return [];
    const { sessionMaxAgeMs, maxIdleMs } = this.opts;
    const work: Promise<void>[] = [];
    for (const binding of this.sessions.all()) {
      if (binding.slot === null || now < sessionExpiresAt(binding, sessionMaxAgeMs, maxIdleMs)) continue;
      this.stats.staleSessionsEvicted++;
      // A resource whose session never said it was idle may have been used until now.
      work.push(this.takeBack(binding, 'idle', now, binding.idleSince ?? now));
    }
    return work;
  }

  /**
   * Takes a session's resource back like a release (cleared, validated, then to the oldest waiter or the warm
   * stack): the session is forgotten and gets WARM or COLD next time. `usedAt` is when it was last used.
   */
  private takeBack(
    binding: SessionBinding<T>,
    reason: SessionEvictionReason,
    now: number,
    usedAt: number,
  ): Promise<void> {
    const slot = this.letGo(binding, reason, now);
    this.ledger.move(slot, SlotState.FLOATING);
    return this.recycle(slot, usedAt);
  }

  /** Forgets a bound session and reports it; returns its resource (still in state SESSION). */
  private letGo(binding: SessionBinding<T>, reason: SessionEvictionReason, now: number): Slot<T> {
    const slot = binding.slot as Slot<T>;
    const idleMs = now - (binding.idleSince ?? binding.acquiredAt);
    this.sessions.closed(binding);
    this.events.emit({ kind: 'session-evicted', sessionId: binding.id, idleMs, reason });
    return slot;
  }

  // ---------------------------------------------------------------- recycling, freshness, destruction

  /**
   * A resource came back (release, session end or take-back), last used at `usedAt`: clear, validate, then reuse
   * or destroy.
   */
  private recycle(slot: Slot<T>, usedAt: number): Promise<void> {
    if (this.closed || !this.opts.reusable) {
      this.destroySlot(slot);
      return RESOLVED;
    }
    let cleared: unknown;
    try {
      cleared = clearSessionState(slot.resource);
    } catch {
      this.replace(slot, 'invalid');
      return RESOLVED;
    }
    if (!isPromiseLike(cleared)) {
      const valid = this.checkValid(slot);
      if (valid === true) {
        this.placeFree(slot, AllocationTier.WARM, usedAt);
        return RESOLVED;
      }
      if (valid === false) {
        this.replace(slot, 'invalid');
        return RESOLVED;
      }
      return this.finishRecycle(slot, valid, usedAt);
    }
    return this.finishRecycle(
      slot,
      Promise.resolve(cleared).then(
        () => this.checkValid(slot),
        () => false,
      ),
      usedAt,
    );
  }

  private finishRecycle(slot: Slot<T>, check: Promise<boolean>, usedAt: number): Promise<void> {
    this.ledger.move(slot, SlotState.REFRESHING);
    this.busy++;
    return check.then((valid) => {
      this.ledger.move(slot, SlotState.FLOATING);
      if (this.closed) this.destroySlot(slot);
      else if (valid) this.placeFree(slot, AllocationTier.WARM, usedAt);
      else this.replace(slot, 'invalid');
      this.settledOne();
    });
  }

  /**
   * A free (FLOATING) resource goes to the oldest waiter, else onto the warm stack if below warmMaxSize, else away.
   * `usedAt`: when it was created or last used by a caller (its unused time, which trimming reads, and its idle
   * time, which re-warming reads, start there; USED_NOW for now), or NOT_USED when it was just re-warmed (only its
   * idle time restarts).
   */
  private placeFree(slot: Slot<T>, tier: AllocationTier, usedAt: number): void {
    if (this.closed) {
      this.destroySlot(slot);
      return;
    }
    const waiter = this.waiters.size === 0 ? undefined : this.waiters.next();
    if (waiter !== undefined) {
      this.complete(waiter, slot, tier);
      return;
    }
    if (this.ledger.idle >= this.warmMax) {
      this.destroySlot(slot);
      return;
    }
    if (this.stampsWarm) {
      if (usedAt === NOT_USED) slot.warmSince = this.clock.now();
      else {
        const at = usedAt === USED_NOW ? this.clock.now() : usedAt;
        slot.warmSince = at;
        slot.unusedSince = at;
      }
    }
    this.ledger.move(slot, SlotState.WARM);
  }

  /**
   * Closes warm extras above the warm size unused for trimIdleMs (see idle-policy.ts). Only the warm stack is
   * looked at: session resources come here through the idle policy first.
   */
  private trimUnusedExtras(now: number): void {
    if (!this.trims || this.ledger.idle <= this.target) return;
    const { trimIdleMs } = this.opts;
    for (const slot of surplusWarm(this.ledger.warmSlots(), this.ledger.idle, this.target, now, trimIdleMs)) {
      this.stats.resourcesTrimmed++;
      this.destroySlot(slot);
    }
  }

  /** Takes warm resources idle for maxIdleMs off the stack and re-validates and re-warms them. */
  private refreshIdle(now: number): Promise<void>[] {
    if (!Number.isFinite(this.opts.maxIdleMs) || this.ledger.warm === 0) return [];
    return staleWarm(this.ledger.warmSlots(), now, this.opts.maxIdleMs).map((slot) => this.refreshOne(slot));
  }

  private async refreshOne(slot: Slot<T>): Promise<void> {
    this.ledger.move(slot, SlotState.REFRESHING);
    this.busy++;
    let problem: 'invalid' | 'idle' | null = null;
    if (!(await this.checkValid(slot))) problem = 'invalid';
    else if (!(await this.runWarm(slot))) problem = 'idle';
    this.ledger.move(slot, SlotState.FLOATING);
    if (this.closed) this.destroySlot(slot);
    else if (problem !== null) this.replace(slot, problem);
    else this.placeFree(slot, AllocationTier.WARM, NOT_USED);
    this.settledOne();
  }

  /** Destroys a resource that failed validation or re-warming; a replacement follows if below target. */
  private replace(slot: Slot<T>, reason: 'invalid' | 'idle'): void {
    this.events.emit({ kind: 'resource-replaced', reason });
    this.destroySlot(slot);
  }

  /**
   * Destroys a resource exactly once, whatever its state. A destroy that throws or rejects still counts as
   * destroyed and is reported, never retried: retrying a half-closed client risks double frees.
   */
  private destroySlot(slot: Slot<T>): void {
    if (slot.state === SlotState.DESTROYED) return;
    this.ledger.move(slot, SlotState.DESTROYED);
    // A creation gate gets its take back once the resource is really gone (its socket closed), not before.
    const gate = this.gate;
    try {
      const done = this.opts.destroy(slot.resource);
      if (isPromiseLike(done)) {
        this.busy++;
        const gone = (): void => {
          if (gate !== null) {
            gate.release();
            this.onCapacityFreed();
          }
          this.settledOne();
        };
        Promise.resolve(done).then(gone, (error: unknown) => {
          this.events.emit({ kind: 'destroy-failed', error });
          gone();
        });
        if (gate === null) this.onCapacityFreed();
        return;
      }
    } catch (error) {
      this.events.emit({ kind: 'destroy-failed', error });
    }
    gate?.release();
    this.onCapacityFreed();
  }

  // ---------------------------------------------------------------- maintenance timer and small helpers

  private scheduleMaintenance(): void {
    this.maintenanceTimer = this.clock.setTimeout(() => {
      if (this.closed) return;
      this.scheduleMaintenance();
      void this.maintain();
    }, this.opts.warmupIntervalMs);
  }

  /** validate() as true/false when it answers synchronously (the hot path), else a promise that never rejects. */
  private checkValid(slot: Slot<T>): boolean | Promise<boolean> {
    let result: boolean | Promise<boolean>;
    try {
      result = this.opts.validate(slot.resource);
    } catch {
      return false;
    }
    if (result === true || result === false) return result;
    if (isPromiseLike(result)) {
      return Promise.resolve(result).then(
        (valid) => valid === true,
        () => false,
      );
    }
    return Boolean(result);
  }

  /** One tracked async operation finished; the last one after shutdown resolves shutdown(). */
  private settledOne(): void {
    this.busy--;
    if (this.busy === 0 && this.onDrained !== null) {
      const drained = this.onDrained;
      this.onDrained = null;
      drained();
    }
  }
}
