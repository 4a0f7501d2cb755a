import type { PendingAllocation } from './pending-allocation';
import type { Slot } from './pool-slot';

/**
 * One session's hold on a resource, as plain data. A binding exists while the session has a resource (`slot`) or
 * an allocation under way for one (`allocation`), never with neither.
 */
export interface SessionBinding<T> {
  readonly id: string;
  /** The session's resource (slot state SESSION); null while its allocation is under way. */
  slot: Slot<T> | null;
  /** The allocation under way for the session, which concurrent callers for it join; null once bound. */
  allocation: PendingAllocation<T> | null;
  /** Clock time of its last acquireForSession() (kept only when sessions expire by age). */
  acquiredAt: number;
  /** Clock time the session said it stopped using its resource (sessionIdle()); null while it uses it. */
  idleSince: number | null;
}

/**
 * Every session binding of a pool, and the ones whose session is not using its resource, least recently idle
 * first (a Map keeps insertion order: going idle appends, waking up removes, so the first entry is the LRU one).
 * Counts are derived from the two maps. The pool changes bindings only through the methods here, each named after
 * what happened to the session.
 */
export class SessionBindings<T> {
  private readonly byId = new Map<string, SessionBinding<T>>();
  private readonly idle = new Map<string, SessionBinding<T>>();

  /** Sessions with a resource or an allocation under way (the snapshot's `activeSessions`). */
  get size(): number {
    return this.byId.size;
  }

  /** Sessions holding a resource they are not using: what reclaim and trimIdle may take. */
  get idleCount(): number {
    return this.idle.size;
  }

  get(id: string): SessionBinding<T> | undefined {
    return this.byId.get(id);
  }

  /** Every binding, in no particular order. Deleting the current binding while iterating is safe. */
  all(): IterableIterator<SessionBinding<T>> {
    return this.byId.values();
  }

  /** Idle bindings, least recently idle first. Closing the current binding while iterating is safe. */
  idleBindings(): IterableIterator<SessionBinding<T>> {
    return this.idle.values();
  }

  leastRecentlyIdle(): SessionBinding<T> | undefined {
    return this.idle.values().next().value;
  }

  /** A new session asks for a resource (bound at once from the warm stack, or an allocation starts). */
  opened(id: string, now: number): SessionBinding<T> {
    const binding: SessionBinding<T> = { id, slot: null, allocation: null, acquiredAt: now, idleSince: null };
    this.byId.set(id, binding);
    return binding;
  }

  /** An allocation starts for the session (it has no resource until that allocation completes). */
  allocating(binding: SessionBinding<T>, allocation: PendingAllocation<T>): void {
    binding.allocation = allocation;
  }

  /**
   * An idle session was handed its own resource again (DEDICATED): it is using it. (The pool stamps `acquiredAt`
   * on every DEDICATED hand-out itself: that is the hot path.)
   */
  awoke(binding: SessionBinding<T>): void {
    binding.idleSince = null;
    this.idle.delete(binding.id);
  }

  /** The session got its resource (from its allocation, or at once from the warm stack). */
  bound(binding: SessionBinding<T>, slot: Slot<T>, now: number): void {
    binding.slot = slot;
    binding.allocation = null;
    binding.acquiredAt = now;
  }

  /** The session's resource was broken or is being re-checked: it loses it and a replacement is allocated. */
  unbound(binding: SessionBinding<T>): void {
    binding.slot = null;
    if (binding.idleSince !== null) this.awoke(binding);
  }

  /** The session stopped using its resource at `now` (it keeps it). */
  wentIdle(binding: SessionBinding<T>, now: number): void {
    if (binding.idleSince !== null) return; // still idle since the first call
    binding.idleSince = now;
    this.idle.set(binding.id, binding);
  }

  /** The session is forgotten (ended, expired, reclaimed, or its allocation failed or was cancelled). */
  closed(binding: SessionBinding<T>): void {
    if (this.byId.get(binding.id) === binding) this.byId.delete(binding.id);
    if (this.idle.get(binding.id) === binding) this.idle.delete(binding.id);
  }

  clear(): void {
    this.byId.clear();
    this.idle.clear();
  }
}
