import { AllocationTier } from './allocation-tier';
import type { Clock, ClockTimer } from './clock';
import { FactoryBackoff } from './factory-backoff';
import { FifoQueue } from './fifo-queue';
import { PendingAllocation, PendingState, type Caller } from './pending-allocation';
import { PoolClosedError, PoolSessionReleasedError, PoolTimeoutError } from './pool-errors';
import type { PoolEvent, PoolObserver } from './pool-observer';
import type { WarmableResourcePoolOptions } from './pool-options';
import { Slot, SlotState } from './pool-slot';
import type { PoolSnapshot } from './pool-snapshot';
import { clearSessionState, isPromiseLike } from './resource-defaults';
import type { AcquireOptions, ResourcePool, SessionAllocation } from './resource-pool';
import { resolvePoolOptions, type ResolvedPoolOptions } from './resolve-pool-options';
import { SessionEntry } from './session-entry';

// Shared settled promises: the synchronous paths return these instead of allocating new ones.
const RESOLVED: Promise<void> = Promise.resolve();
const RESOLVED_FALSE: Promise<boolean> = Promise.resolve(false);
const toResource = <T>(allocation: SessionAllocation<T>): T => allocation.resource;
const toTrue = (): boolean => true;
const toFalse = (): boolean => false;
const noop = (): void => undefined;

/**
 * A pool that keeps `warmPoolSize` resources created and warmed ahead of demand (CONTRACT §3).
 *
 * Allocation: DEDICATED (the session's cached resource) > WARM (warm queue, or a resource handed over to a
 * waiter by a release or a background creation) > COLD (factory call for this caller) > wait in FIFO order at
 * the cap. The hot paths (WARM pop, DEDICATED Map lookup) are synchronous and return one resolved promise.
 *
 * Every resource is owned by exactly one place at any moment (see {@link SlotState}) and is destroyed exactly
 * once; the counters follow the states, so `resourcesCreated - resourcesDestroyed` always equals the resources
 * that exist.
 *
 * Resources are tracked by identity (a Map keyed by the resource), so the factory must return distinct objects.
 */
export class WarmableResourcePool<T> implements ResourcePool<T> {
  readonly name: string;

  private readonly opts: ResolvedPoolOptions<T>;
  private readonly clock: Clock;
  private readonly observer: PoolObserver | null;
  private readonly target: number;
  private readonly maxSize: number;
  private readonly trackIdleAge: boolean;
  private readonly trackSessionAge: boolean;

  /** Every resource that exists, by identity; its size + `creating` is the live count checked against maxSize. */
  private readonly slots = new Map<T, Slot<T>>();
  /** The warm queue, used as a stack: the most recently returned resource is the most likely to be connected. */
  private readonly idle: Slot<T>[] = [];
  private readonly sessions = new Map<string, SessionEntry<T>>();
  private readonly waiters = new FifoQueue<PendingAllocation<T>>((p) => p.state === PendingState.QUEUED);
  /** Allocations with a factory call or an async validation running, so shutdown can reject them at once. */
  private readonly inFlight = new Set<PendingAllocation<T>>();
  private readonly backoff: FactoryBackoff;
  private readonly listeners = new Set<(event: PoolEvent) => void>();

  private outCount = 0;
  private sessionBound = 0;
  private refreshing = 0;
  private creating = 0;
  private refillInFlight = 0;
  private waiting = 0;
  /** Async operations (factory calls, checks, warm-ups, destroys) that shutdown() waits for. */
  private busy = 0;

  private closed = false;
  private prepared = false;
  private preparePromise: Promise<void> | null = null;
  private shutdownPromise: Promise<void> | null = null;
  private onDrained: (() => void) | null = null;
  private refillTimer: ClockTimer | null = null;
  private refillDueAt = 0;
  private maintenanceTimer: ClockTimer | null = null;

  private allocationsTotal = 0;
  private allocationsDedicated = 0;
  private allocationsWarm = 0;
  private allocationsCold = 0;
  private warmupCycles = 0;
  private warmupFailures = 0;
  private factoryFailures = 0;
  private resourcesCreated = 0;
  private resourcesDestroyed = 0;
  private staleSessionsEvicted = 0;
  private acquireTimeouts = 0;

  constructor(options: WarmableResourcePoolOptions<T>) {
    this.opts = resolvePoolOptions(options);
    this.name = this.opts.name;
    this.clock = this.opts.clock;
    this.observer = this.opts.observer;
    this.target = this.opts.warmPoolSize;
    this.maxSize = this.opts.maxSize;
    this.trackIdleAge = Number.isFinite(this.opts.maxIdleMs);
    this.trackSessionAge = this.opts.sessionAwareness && Number.isFinite(this.opts.sessionMaxAgeMs);
    this.backoff = new FactoryBackoff(
      this.opts.backoffInitialMs,
      this.opts.backoffMaxMs,
      this.opts.backoffJitter,
      this.opts.random,
    );
  }

  // ---------------------------------------------------------------- public API

  /**
   * Fills the warm queue to its target and starts the maintenance task. Resolves once the first fill settled,
   * even if the factory failed (then `ready` stays false and background creation retries with backoff), so a
   * service can start while its upstream is down. Idempotent.
   */
  prepare(): Promise<void> {
    if (this.preparePromise !== null) return this.preparePromise;
    if (this.closed) return Promise.reject(new PoolClosedError(this.name));
    if (this.opts.enableBackgroundWarmup) this.scheduleMaintenance();
    this.preparePromise = Promise.all(this.startRefill()).then(() => {
      this.prepared = true;
    });
    return this.preparePromise;
  }

  /**
   * A warm resource (WARM), else a new one (COLD), else waits in FIFO order at the cap for up to `timeoutMs`
   * (PoolTimeoutError) or until `signal` aborts. Synchronous hand-overs report 0 ms latency to the observer, so
   * the hot path reads no clock.
   */
  acquire(opts?: AcquireOptions): Promise<T> {
    if (this.closed) return Promise.reject(new PoolClosedError(this.name));
    if (opts?.signal?.aborted === true) return Promise.reject(opts.signal.reason);
    const slot = this.idle.pop();
    if (slot !== undefined) {
      const valid = this.checkValid(slot);
      if (valid === true) {
        this.markOut(slot);
        this.recordAllocation(AllocationTier.WARM, 0, null);
        this.refillSoon();
        return Promise.resolve(slot.resource);
      }
      return this.startPending(null, null, opts, slot, valid).then(toResource);
    }
    return this.startPending(null, null, opts, undefined, undefined).then(toResource);
  }

  /**
   * Clears the resource's session state and returns it to a waiter or the warm queue, or destroys it (over the
   * target, invalid, single-use, or the pool is shut down). Releasing null, a resource this pool did not hand
   * out, a resource twice, or a session-bound resource (use releaseForSession) does nothing.
   */
  release(resource: T | null | undefined): Promise<void> {
    if (resource === null || resource === undefined) return RESOLVED;
    const slot = this.slots.get(resource);
    if (slot === undefined || slot.state !== SlotState.OUT) return RESOLVED;
    this.outCount--;
    slot.state = SlotState.FLOATING;
    return this.recycle(slot);
  }

  /**
   * With session awareness and a session id: the session's cached resource (DEDICATED), else a WARM/COLD one
   * that becomes the session's. Concurrent calls for a new session share one allocation (one factory call); the
   * first caller gets the real tier, the others DEDICATED. Joining callers share the first caller's timeout
   * (their own `signal` still cancels their own wait).
   *
   * A session that already holds its resource gets that same resource again as DEDICATED even if a previous
   * call is still using it: it is the session's own client, and the caller (the voice gateway) serialises
   * requests per session. Session-bound resources are therefore not re-validated here (a busy client may well
   * report not-ready); they are validated when they are recycled.
   *
   * Without session awareness, or with a null session id, this is acquire() reporting the tier.
   */
  acquireForSession(sessionId: string | null, opts?: AcquireOptions): Promise<SessionAllocation<T>> {
    if (this.closed) return Promise.reject(new PoolClosedError(this.name));
    if (opts?.signal?.aborted === true) return Promise.reject(opts.signal.reason);

    let entry: SessionEntry<T> | null = null;
    if (sessionId !== null && this.opts.sessionAwareness) {
      const known = this.sessions.get(sessionId);
      if (known !== undefined) {
        if (this.trackSessionAge) known.lastUsed = this.clock.now();
        const bound = known.slot;
        if (bound !== null) {
          this.recordAllocation(AllocationTier.DEDICATED, 0, sessionId);
          return Promise.resolve({ resource: bound.resource, tier: AllocationTier.DEDICATED });
        }
        // Not bound yet means an allocation for this session is under way: share it.
        return this.addCaller(known.pending as PendingAllocation<T>, opts?.signal);
      }
      entry = new SessionEntry<T>(sessionId, this.trackSessionAge ? this.clock.now() : 0);
      this.sessions.set(sessionId, entry);
    }

    const slot = this.idle.pop();
    if (slot !== undefined) {
      const valid = this.checkValid(slot);
      if (valid === true) {
        if (entry !== null) this.bindSession(entry, slot);
        else this.markOut(slot);
        this.recordAllocation(AllocationTier.WARM, 0, sessionId);
        this.refillSoon();
        return Promise.resolve({ resource: slot.resource, tier: AllocationTier.WARM });
      }
      return this.startPending(entry, sessionId, opts, slot, valid);
    }
    return this.startPending(entry, sessionId, opts, undefined, undefined);
  }

  /**
   * Ends a session: its cached resource is recycled like a release (session state cleared, back to the warm
   * queue if below target and valid and reusable, else destroyed). Resolves true when the session held a
   * resource. A still-running acquireForSession for the session is cancelled (its callers get
   * PoolSessionReleasedError). A `resource` handed out by a plain acquire (e.g. with a null session id) is
   * released as well.
   */
  releaseForSession(sessionId: string | null, resource?: T): Promise<boolean> {
    let plain: Promise<void> | null = null;
    if (resource !== undefined && resource !== null) {
      const slot = this.slots.get(resource);
      if (slot !== undefined && slot.state === SlotState.OUT) plain = this.release(resource);
    }
    const entry = sessionId !== null && this.opts.sessionAwareness ? this.sessions.get(sessionId) : undefined;
    if (entry === undefined) {
      if (plain === null) return RESOLVED_FALSE;
      // Without a session cache the released resource is what "the session held".
      return sessionId === null || !this.opts.sessionAwareness ? plain.then(toTrue) : plain.then(toFalse);
    }
    this.sessions.delete(entry.id);
    const bound = entry.slot;
    if (bound === null) {
      const pending = entry.pending;
      if (pending !== null) this.fail(pending, new PoolSessionReleasedError(this.name, entry.id));
      return plain === null ? RESOLVED_FALSE : plain.then(toFalse);
    }
    entry.slot = null;
    this.sessionBound--;
    bound.state = SlotState.FLOATING;
    const recycled = this.recycle(bound);
    return plain === null ? recycled.then(toTrue) : Promise.all([plain, recycled]).then(toTrue);
  }

  onEvent(listener: (event: PoolEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  snapshot(): PoolSnapshot {
    const now = this.clock.now();
    const hits = this.allocationsDedicated + this.allocationsWarm;
    return {
      name: this.name,
      ready: this.prepared && !this.closed && this.backoff.consecutiveFailures === 0,
      warmPoolSize: this.idle.length + this.refreshing,
      warmPoolTarget: this.target,
      maxSize: Number.isFinite(this.maxSize) ? this.maxSize : null,
      size: this.liveCount(),
      inUse: this.outCount + this.sessionBound,
      pendingAcquires: this.waiting,
      sessionAwareness: this.opts.sessionAwareness,
      activeSessions: this.sessions.size,
      backgroundWarmup: this.opts.enableBackgroundWarmup,
      factory: {
        consecutiveFailures: this.backoff.consecutiveFailures,
        backoffRemainingMs: this.backoff.remainingMs(now),
        lastError: this.backoff.lastError,
      },
      metrics: {
        allocationsTotal: this.allocationsTotal,
        allocationsDedicated: this.allocationsDedicated,
        allocationsWarm: this.allocationsWarm,
        allocationsCold: this.allocationsCold,
        hitRate: this.allocationsTotal === 0 ? 0 : hits / this.allocationsTotal,
        warmupCycles: this.warmupCycles,
        warmupFailures: this.warmupFailures,
        factoryFailures: this.factoryFailures,
        resourcesCreated: this.resourcesCreated,
        resourcesDestroyed: this.resourcesDestroyed,
        staleSessionsEvicted: this.staleSessionsEvicted,
        acquireTimeouts: this.acquireTimeouts,
        timestamp: Math.round(now),
      },
    };
  }

  /**
   * One maintenance cycle (the background task runs this every warmupIntervalMs): evicts stale sessions and
   * recycles their resources, re-validates and re-warms warm resources idle for maxIdleMs (or replaces them),
   * and tops the warm queue up (respecting factory backoff). Resolves when the cycle's async work settled.
   * Public so a pool without the background task (e.g. OnDemandResourcePool) can be maintained explicitly.
   */
  maintain(): Promise<void> {
    if (this.closed) return RESOLVED;
    this.warmupCycles++;
    const now = this.clock.now();
    this.evictStaleSessions(now);
    const work = this.refreshIdle(now);
    for (const filling of this.startRefill()) work.push(filling);
    return work.length === 0 ? RESOLVED : Promise.all(work).then(noop);
  }

  /**
   * Idempotent (a second call returns the same promise). Stops the timers, rejects every waiting acquire with
   * PoolClosedError, destroys idle and session-bound resources, and resolves once in-flight factory calls,
   * checks and destroys settled (their resources destroyed). Resources still handed out are destroyed when
   * they are released.
   */
  shutdown(): Promise<void> {
    if (this.shutdownPromise !== null) return this.shutdownPromise;
    this.closed = true;
    if (this.maintenanceTimer !== null) this.clock.clearTimeout(this.maintenanceTimer);
    if (this.refillTimer !== null) this.clock.clearTimeout(this.refillTimer);
    this.maintenanceTimer = null;
    this.refillTimer = null;

    const closedError = new PoolClosedError(this.name);
    for (const pending of this.waiters.drain()) {
      this.waiting--;
      pending.state = PendingState.NEW; // already out of the queue
      this.fail(pending, closedError);
    }
    for (const pending of [...this.inFlight]) this.fail(pending, closedError);
    for (const entry of this.sessions.values()) {
      const bound = entry.slot;
      if (bound !== null) this.destroySlot(bound);
      else if (entry.pending !== null) this.fail(entry.pending, closedError);
    }
    this.sessions.clear();
    for (const slot of this.idle.splice(0)) this.destroySlot(slot);

    this.shutdownPromise =
      this.busy === 0
        ? RESOLVED
        : new Promise<void>((resolve) => {
            this.onDrained = resolve;
          });
    return this.shutdownPromise;
  }

  // ---------------------------------------------------------------- allocation slow path

  /**
   * Starts an allocation that cannot complete synchronously. `popped` is a warm resource already taken from the
   * queue whose validation returned false or a promise.
   */
  private startPending(
    entry: SessionEntry<T> | null,
    sessionId: string | null,
    opts: AcquireOptions | undefined,
    popped: Slot<T> | undefined,
    validity: boolean | Promise<boolean> | undefined,
  ): Promise<SessionAllocation<T>> {
    const timeoutMs = opts?.timeoutMs ?? this.opts.acquireTimeoutMs;
    if (!(timeoutMs >= 0)) {
      if (popped !== undefined) this.placeFree(popped, AllocationTier.WARM);
      if (entry !== null) this.sessions.delete(entry.id);
      return Promise.reject(new TypeError(`timeoutMs must be >= 0 (got ${timeoutMs})`));
    }
    const pending = new PendingAllocation<T>(entry, sessionId, timeoutMs);
    const promise = this.addCaller(pending, opts?.signal);
    if (entry !== null) entry.pending = pending;
    if (popped === undefined) this.advance(pending);
    else if (validity === false) {
      this.replace(popped, 'invalid');
      this.advance(pending);
    } else this.awaitCheck(pending, popped, validity as Promise<boolean>);
    return promise;
  }

  private addCaller(
    pending: PendingAllocation<T>,
    signal: AbortSignal | undefined,
  ): Promise<SessionAllocation<T>> {
    return new Promise<SessionAllocation<T>>((resolve, reject) => {
      const caller: Caller<T> = {
        resolve,
        reject,
        signal,
        onAbort: null,
        live: true,
        startedAt: this.clock.now(),
      };
      if (signal !== undefined) {
        caller.onAbort = () => this.abortCaller(pending, caller);
        signal.addEventListener('abort', caller.onAbort, { once: true });
      }
      pending.callers.push(caller);
      pending.liveCallers++;
    });
  }

  /** Tries warm resources, then the factory, then waits. */
  private advance(pending: PendingAllocation<T>): void {
    for (let slot = this.idle.pop(); slot !== undefined; slot = this.idle.pop()) {
      const valid = this.checkValid(slot);
      if (valid === true) {
        this.complete(pending, slot, AllocationTier.WARM);
        this.refillSoon();
        return;
      }
      if (valid !== false) {
        this.awaitCheck(pending, slot, valid);
        return;
      }
      this.replace(slot, 'invalid');
    }
    if (this.liveCount() < this.maxSize) {
      this.createFor(pending);
      return;
    }
    if (pending.timeoutMs === 0) {
      this.timeOut(pending);
      return;
    }
    pending.state = PendingState.QUEUED;
    pending.queuedAt = this.clock.now();
    this.waiting++;
    this.waiters.push(pending);
    this.emit({ kind: 'waiter-queued', waiting: this.waiting });
    if (Number.isFinite(pending.timeoutMs)) {
      pending.timer = this.clock.setTimeout(() => {
        if (pending.state === PendingState.QUEUED) this.timeOut(pending);
      }, pending.timeoutMs);
    }
  }

  /** A warm resource whose validate() returned a promise; it counts as in use while the check runs. */
  private awaitCheck(pending: PendingAllocation<T>, slot: Slot<T>, check: Promise<boolean>): void {
    slot.state = SlotState.CHECKING;
    this.outCount++;
    pending.state = PendingState.CHECKING;
    this.inFlight.add(pending);
    this.busy++;
    void check.then((valid) => {
      this.outCount--;
      slot.state = SlotState.FLOATING;
      if (this.closed) this.destroySlot(slot);
      else if (!valid) {
        this.replace(slot, 'invalid');
        if (pending.state === PendingState.CHECKING) {
          this.inFlight.delete(pending);
          pending.state = PendingState.NEW;
          this.advance(pending);
        }
      } else if (pending.state === PendingState.CHECKING) {
        this.complete(pending, slot, AllocationTier.WARM);
        this.refillSoon();
      } else this.placeFree(slot, AllocationTier.WARM); // the caller left meanwhile
      this.settledOne();
    });
  }

  private createFor(pending: PendingAllocation<T>): void {
    pending.state = PendingState.CREATING;
    this.inFlight.add(pending);
    void this.create(pending);
  }

  /** Hands `slot` (FLOATING) to the allocation's callers; the first live caller gets `tier`, later ones DEDICATED. */
  private complete(pending: PendingAllocation<T>, slot: Slot<T>, tier: AllocationTier): void {
    this.finish(pending);
    const entry = pending.entry;
    if (entry !== null) {
      this.bindSession(entry, slot);
      if (this.trackSessionAge) entry.lastUsed = this.clock.now();
    } else this.markOut(slot);
    const now = this.clock.now();
    let callerTier = tier;
    for (const caller of pending.callers) {
      if (!caller.live) continue;
      this.retire(caller);
      this.recordAllocation(callerTier, now - caller.startedAt, pending.sessionId);
      caller.resolve({ resource: slot.resource, tier: callerTier });
      callerTier = AllocationTier.DEDICATED;
    }
  }

  /** Rejects every live caller of the allocation; a session that never got its resource is forgotten. */
  private fail(pending: PendingAllocation<T>, error: unknown): void {
    if (pending.state === PendingState.DONE) return;
    this.finish(pending);
    this.forgetUnboundSession(pending);
    for (const caller of pending.callers) {
      if (!caller.live) continue;
      this.retire(caller);
      caller.reject(error);
    }
  }

  private timeOut(pending: PendingAllocation<T>): void {
    this.acquireTimeouts++;
    const waitedMs = pending.state === PendingState.QUEUED ? this.clock.now() - pending.queuedAt : 0;
    this.emit({ kind: 'acquire-timeout', waitedMs });
    this.fail(pending, new PoolTimeoutError(this.name, pending.timeoutMs));
  }

  /** One caller gave up; the allocation is cancelled when nobody waits for it any more. */
  private abortCaller(pending: PendingAllocation<T>, caller: Caller<T>): void {
    if (!caller.live) return;
    this.retire(caller);
    pending.liveCallers--;
    caller.reject((caller.signal as AbortSignal).reason);
    if (pending.liveCallers === 0 && pending.state !== PendingState.DONE) {
      // A factory call or check still running delivers its resource back to the pool (state DONE).
      this.finish(pending);
      this.forgetUnboundSession(pending);
    }
  }

  /** Marks the allocation DONE and undoes its queue/in-flight/timer bookkeeping (O(1)). */
  private finish(pending: PendingAllocation<T>): void {
    if (pending.state === PendingState.QUEUED) {
      this.waiting--;
      this.waiters.markedDead();
    } else if (pending.state === PendingState.CREATING || pending.state === PendingState.CHECKING) {
      this.inFlight.delete(pending);
    }
    pending.state = PendingState.DONE;
    if (pending.timer !== null) {
      this.clock.clearTimeout(pending.timer);
      pending.timer = null;
    }
  }

  private forgetUnboundSession(pending: PendingAllocation<T>): void {
    const entry = pending.entry;
    if (entry === null || entry.pending !== pending) return;
    entry.pending = null;
    if (entry.slot === null && this.sessions.get(entry.id) === entry) this.sessions.delete(entry.id);
  }

  private retire(caller: Caller<T>): void {
    caller.live = false;
    if (caller.onAbort !== null) {
      (caller.signal as AbortSignal).removeEventListener('abort', caller.onAbort);
      caller.onAbort = null;
    }
  }

  /** The oldest live waiter, taken out of the queue (its timer stopped), or undefined. */
  private nextWaiter(): PendingAllocation<T> | undefined {
    if (this.waiting === 0) return undefined;
    const pending = this.waiters.shiftLive();
    if (pending === undefined) return undefined;
    this.waiting--;
    pending.state = PendingState.NEW;
    if (pending.timer !== null) {
      this.clock.clearTimeout(pending.timer);
      pending.timer = null;
    }
    return pending;
  }

  // ---------------------------------------------------------------- creation and refill

  /** Calls the factory for `pending` (COLD) or for the warm queue (null). Resolves when the result is placed. */
  private create(pending: PendingAllocation<T> | null): Promise<void> {
    this.creating++;
    if (pending === null) this.refillInFlight++;
    this.busy++;
    let made: Promise<T>;
    try {
      made = Promise.resolve(this.opts.factory());
    } catch (error) {
      made = Promise.reject(error);
    }
    return made.then(
      (resource) => this.created(resource, pending),
      (error: unknown) => this.createFailed(error, pending),
    );
  }

  private created(resource: T, pending: PendingAllocation<T> | null): Promise<void> | void {
    if (this.slots.has(resource)) {
      // Keeping one resource twice would hand it to two callers and destroy it twice.
      return this.createFailed(new Error('factory returned a resource that is already in the pool'), pending);
    }
    this.creating--;
    if (pending === null) this.refillInFlight--;
    this.resourcesCreated++;
    const slot = new Slot(resource);
    this.slots.set(resource, slot);
    const streak = this.backoff.succeeded();
    if (streak > 0) {
      this.emit({ kind: 'factory-recovered', afterFailures: streak });
      this.refillSoon(true);
    }

    if (this.closed) {
      this.destroySlot(slot);
      if (pending !== null) this.fail(pending, new PoolClosedError(this.name));
    } else if (pending === null) {
      if (this.opts.warmFn !== null) return this.warmNew(slot);
      this.placeFree(slot, AllocationTier.WARM);
    } else if (pending.state === PendingState.CREATING) {
      this.complete(pending, slot, AllocationTier.COLD);
    } else this.placeFree(slot, AllocationTier.COLD); // its callers left; another waiter or the queue takes it
    this.settledOne();
  }

  private createFailed(error: unknown, pending: PendingAllocation<T> | null): void {
    this.creating--;
    if (pending === null) this.refillInFlight--;
    this.factoryFailures++;
    const backoffMs = this.backoff.failed(error, this.clock.now());
    this.emit({
      kind: 'factory-failed',
      error,
      consecutiveFailures: this.backoff.consecutiveFailures,
      backoffMs,
    });
    if (pending !== null) this.fail(pending, error);
    if (!this.closed) {
      this.onCapacityFreed();
      if (pending === null) this.refillSoon();
    }
    this.settledOne();
  }

  /** Warms a background-created resource; a failed warm-up is counted but the resource is still used. */
  private warmNew(slot: Slot<T>): Promise<void> {
    slot.state = SlotState.REFRESHING;
    this.refreshing++;
    return this.runWarm(slot).then(() => {
      this.refreshing--;
      slot.state = SlotState.FLOATING;
      this.placeFree(slot, AllocationTier.WARM);
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
      this.warmupFailures++;
      this.emit({ kind: 'warmup-failed', error: failure });
    }
    return warmed;
  }

  /**
   * Tops the warm queue up after the current synchronous work (a zero-delay timer), so an acquire followed by a
   * release in the same tick does not create and then destroy a resource; `force` re-arms an armed backoff timer
   * for right now (the factory just recovered).
   */
  private refillSoon(force = false): void {
    if (this.closed || this.idle.length + this.refreshing + this.refillInFlight >= this.target) return;
    if (this.refillTimer !== null) {
      if (!force) return;
      this.clock.clearTimeout(this.refillTimer);
      this.refillTimer = null;
    }
    const now = this.clock.now();
    const delay = this.backoff.isBackingOff(now) ? this.backoff.retryAt - now : this.opts.refillDelayMs;
    this.refillDueAt = now + delay;
    this.refillTimer = this.clock.setTimeout(() => {
      this.refillTimer = null;
      void this.startRefill();
    }, delay);
  }

  /**
   * Starts background creations for the missing warm resources (coalesced with those already in flight, within
   * maxSize). While the factory is failing, waits for the backoff and then sends a single probe.
   */
  private startRefill(): Promise<void>[] {
    if (this.closed) return [];
    const now = this.clock.now();
    if (this.backoff.isBackingOff(now)) {
      this.refillSoon();
      return [];
    }
    const missing = this.target - (this.idle.length + this.refreshing + this.refillInFlight);
    let count = Math.min(missing, this.maxSize - this.liveCount());
    if (this.backoff.consecutiveFailures > 0) count = Math.min(count, 1 - this.refillInFlight);
    const started: Promise<void>[] = [];
    for (let i = 0; i < count; i++) started.push(this.create(null));
    return started;
  }

  /** Capacity freed (destroy or failed factory call): waiters at the cap may now create. */
  private onCapacityFreed(): void {
    if (this.closed) return;
    while (this.waiting > 0 && this.liveCount() < this.maxSize) {
      const pending = this.nextWaiter();
      if (pending === undefined) break;
      this.createFor(pending);
    }
    this.refillSoon();
  }

  // ---------------------------------------------------------------- recycling, freshness, destruction

  /** A resource came back (release, session end, eviction): clear, validate, then reuse or destroy. */
  private recycle(slot: Slot<T>): Promise<void> {
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
        this.placeFree(slot, AllocationTier.WARM);
        return RESOLVED;
      }
      if (valid === false) {
        this.replace(slot, 'invalid');
        return RESOLVED;
      }
      return this.finishRecycle(slot, valid);
    }
    return this.finishRecycle(
      slot,
      Promise.resolve(cleared).then(
        () => this.checkValid(slot),
        () => false,
      ),
    );
  }

  private finishRecycle(slot: Slot<T>, check: Promise<boolean>): Promise<void> {
    slot.state = SlotState.REFRESHING;
    this.refreshing++;
    this.busy++;
    return check.then((valid) => {
      this.refreshing--;
      slot.state = SlotState.FLOATING;
      if (this.closed) this.destroySlot(slot);
      else if (valid) this.placeFree(slot, AllocationTier.WARM);
      else this.replace(slot, 'invalid');
      this.settledOne();
    });
  }

  /** A free resource (FLOATING) goes to the oldest waiter, else into the warm queue if below target, else away. */
  private placeFree(slot: Slot<T>, tier: AllocationTier): void {
    if (this.closed) {
      this.destroySlot(slot);
      return;
    }
    const waiter = this.nextWaiter();
    if (waiter !== undefined) {
      this.complete(waiter, slot, tier);
      return;
    }
    if (this.idle.length + this.refreshing < this.target) {
      slot.state = SlotState.IDLE;
      if (this.trackIdleAge) slot.idleSince = this.clock.now();
      this.idle.push(slot);
      return;
    }
    this.destroySlot(slot);
  }

  private evictStaleSessions(now: number): void {
    if (!this.trackSessionAge) return;
    const maxAge = this.opts.sessionMaxAgeMs;
    for (const entry of this.sessions.values()) {
      const bound = entry.slot;
      const idleMs = now - entry.lastUsed;
      if (bound === null || idleMs < maxAge) continue;
      this.sessions.delete(entry.id); // deleting the current entry while iterating a Map is safe
      entry.slot = null;
      this.sessionBound--;
      bound.state = SlotState.FLOATING;
      this.staleSessionsEvicted++;
      this.emit({ kind: 'session-evicted', sessionId: entry.id, idleMs });
      void this.recycle(bound);
    }
  }

  /** Takes warm resources idle for maxIdleMs out of the queue and re-validates and re-warms them. */
  private refreshIdle(now: number): Promise<void>[] {
    if (!this.trackIdleAge || this.idle.length === 0) return [];
    const maxIdle = this.opts.maxIdleMs;
    const stale: Slot<T>[] = [];
    let kept = 0;
    for (const slot of this.idle) {
      if (now - slot.idleSince >= maxIdle) stale.push(slot);
      else this.idle[kept++] = slot;
    }
    this.idle.length = kept;
    return stale.map((slot) => this.refreshOne(slot));
  }

  private async refreshOne(slot: Slot<T>): Promise<void> {
    slot.state = SlotState.REFRESHING;
    this.refreshing++;
    this.busy++;
    let problem: 'invalid' | 'idle' | null = null;
    if (!(await this.checkValid(slot))) problem = 'invalid';
    else if (!(await this.runWarm(slot))) problem = 'idle';
    this.refreshing--;
    slot.state = SlotState.FLOATING;
    if (this.closed) this.destroySlot(slot);
    else if (problem !== null) this.replace(slot, problem);
    else this.placeFree(slot, AllocationTier.WARM);
    this.settledOne();
  }

  /** Destroys a resource that failed validation or re-warming; a replacement follows if below target. */
  private replace(slot: Slot<T>, reason: 'invalid' | 'idle'): void {
    this.emit({ kind: 'resource-replaced', reason });
    this.destroySlot(slot);
  }

  /**
   * Destroys a resource exactly once, whatever its state (IDLE slots must already be out of the queue). A
   * destroy that throws or rejects still counts as destroyed and is reported, never retried: retrying a
   * half-closed client risks double frees.
   */
  private destroySlot(slot: Slot<T>): void {
    switch (slot.state) {
      case SlotState.DESTROYED:
        return;
      case SlotState.OUT:
      case SlotState.CHECKING:
        this.outCount--;
        break;
      case SlotState.SESSION:
        this.sessionBound--;
        break;
      case SlotState.REFRESHING:
        this.refreshing--;
        break;
    }
    slot.state = SlotState.DESTROYED;
    this.slots.delete(slot.resource);
    this.resourcesDestroyed++;
    try {
      const done = this.opts.destroy(slot.resource);
      if (isPromiseLike(done)) {
        this.busy++;
        Promise.resolve(done).then(
          () => this.settledOne(),
          (error: unknown) => {
            this.emit({ kind: 'destroy-failed', error });
            this.settledOne();
          },
        );
      }
    } catch (error) {
      this.emit({ kind: 'destroy-failed', error });
    }
    this.onCapacityFreed();
  }

  // ---------------------------------------------------------------- maintenance timer

  private scheduleMaintenance(): void {
    this.maintenanceTimer = this.clock.setTimeout(() => {
      if (this.closed) return;
      this.scheduleMaintenance();
      void this.maintain();
    }, this.opts.warmupIntervalMs);
  }

  // ---------------------------------------------------------------- small helpers

  private liveCount(): number {
    return this.slots.size + this.creating;
  }

  private markOut(slot: Slot<T>): void {
    slot.state = SlotState.OUT;
    this.outCount++;
  }

  private bindSession(entry: SessionEntry<T>, slot: Slot<T>): void {
    slot.state = SlotState.SESSION;
    this.sessionBound++;
    entry.slot = slot;
    entry.pending = null;
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

  private recordAllocation(tier: AllocationTier, latencyMs: number, sessionId: string | null): void {
    this.allocationsTotal++;
    if (tier === AllocationTier.WARM) this.allocationsWarm++;
    else if (tier === AllocationTier.DEDICATED) this.allocationsDedicated++;
    else this.allocationsCold++;
    const observer = this.observer;
    if (observer !== null && observer.allocated !== undefined) {
      try {
        observer.allocated(tier, latencyMs, sessionId);
      } catch {
        // An observer must not break allocation (its contract says it does not throw).
      }
    }
  }

  private emit(event: PoolEvent): void {
    try {
      this.observer?.event?.(event);
    } catch {
      // Same as above: reporting must not break the pool.
    }
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A listener's failure is its own; the pool and the other listeners go on.
      }
    }
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
