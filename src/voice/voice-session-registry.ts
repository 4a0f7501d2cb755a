import { randomUUID } from 'node:crypto';
import { systemClock, type Clock, type ClockTimer } from '../pools/clock';

/** Why a session ended: its grace ran out, it was resumed on another replica, or the registry closed. */
export type SessionEndReason = 'expired' | 'moved' | 'shutdown';

export interface VoiceSessionRegistryOptions<S> {
  /** How long a disconnected session waits for its client to come back (SESSION_RESUME_GRACE). */
  graceMs: number;
  /** Builds the state of a new session. */
  create(sessionId: string, principal: string): S;
  /** The grace ran out (or the session moved, or the registry is closing): release what it holds. */
  onExpired(session: S, sessionId: string, reason: SessionEndReason): void;
  newId?: () => string;
  /** Runs the grace timers; the system clock (timers that never keep the process alive) by default. */
  clock?: Clock;
}

export interface AttachResult<S> {
  sessionId: string;
  session: S;
  resumed: boolean;
  /** The connection that held the session until now (a reconnect that overtook its own dead socket). */
  displaced: string | null;
}

interface Entry<S> {
  session: S;
  principal: string;
  /** The connection currently holding the session; null while in the grace. */
  connectionId: string | null;
  graceTimer: ClockTimer | null;
}

/**
 * Which session each connection holds, and how long a session outlives its connection. A session belongs to the
 * principal (API key) that created it: another principal asking for its id gets a fresh session instead, so ids
 * cannot be used to take over someone else's clients. No I/O here; the owner releases resources in `onExpired`.
 */
export class VoiceSessionRegistry<S> {
  private readonly entries = new Map<string, Entry<S>>();
  private readonly newId: () => string;
  private readonly clock: Clock;

  constructor(private readonly options: VoiceSessionRegistryOptions<S>) {
    this.newId = options.newId ?? randomUUID;
    this.clock = options.clock ?? systemClock;
  }

  /**
   * Gives a new connection its session: the requested one when it exists and belongs to the same principal
   * (resumed; its grace timer stops), otherwise a new one. When the requested session is still held by another
   * connection of the same principal — typically a client reconnecting before the server noticed its old socket
   * die — the new connection takes it over and the old one is reported as `displaced`. `adopt`: the fleet says
   * the requested session lives on another replica and this principal may take it over; it is created here under
   * its own id (resumed).
   */
  attach(connectionId: string, principal: string, requestedId?: string, adopt = false): AttachResult<S> {
    const existing = requestedId === undefined ? undefined : this.entries.get(requestedId);
    if (adopt && requestedId !== undefined && existing === undefined) {
      // Fleet mode: the session lives on another replica and this connection takes it over under its own id.
      const session = this.options.create(requestedId, principal);
      this.entries.set(requestedId, { session, principal, connectionId, graceTimer: null });
      return { sessionId: requestedId, session, resumed: true, displaced: null };
    }
    if (requestedId !== undefined && existing !== undefined && existing.principal === principal) {
      this.clearGrace(existing);
      const displaced = existing.connectionId !== connectionId ? existing.connectionId : null;
      existing.connectionId = connectionId;
      return { sessionId: requestedId, session: existing.session, resumed: true, displaced };
    }
    let sessionId = this.newId();
    while (this.entries.has(sessionId)) sessionId = this.newId();
    const session = this.options.create(sessionId, principal);
    this.entries.set(sessionId, { session, principal, connectionId, graceTimer: null });
    return { sessionId, session, resumed: false, displaced: null };
  }

  /**
   * The connection is gone. Starts the session's grace — unless another connection took the session over in the
   * meantime, in which case nothing changes. Returns true when the grace started.
   */
  detach(sessionId: string, connectionId: string): boolean {
    const entry = this.entries.get(sessionId);
    if (entry === undefined || entry.connectionId !== connectionId) return false;
    entry.connectionId = null;
    this.clearGrace(entry);
    entry.graceTimer = this.clock.setTimeout(() => this.expire(sessionId, 'expired'), this.options.graceMs);
    return true;
  }

  get(sessionId: string): S | undefined {
    return this.entries.get(sessionId)?.session;
  }

  get size(): number {
    return this.entries.size;
  }

  get connectedCount(): number {
    let count = 0;
    for (const entry of this.entries.values()) if (entry.connectionId !== null) count++;
    return count;
  }

  sessions(): S[] {
    return [...this.entries.values()].map((entry) => entry.session);
  }

  /**
   * Ends one session now (it moved to another replica): `onExpired` runs; returns the connection that held it
   * (null while in the grace, undefined when unknown).
   */
  end(sessionId: string): string | null | undefined {
    const entry = this.entries.get(sessionId);
    if (entry === undefined) return undefined;
    const connectionId = entry.connectionId;
    this.expire(sessionId, 'moved');
    return connectionId;
  }

  /** Ends every session now (shutdown): timers stop and `onExpired` runs for each. */
  expireAll(): void {
    for (const sessionId of [...this.entries.keys()]) this.expire(sessionId, 'shutdown');
  }

  private expire(sessionId: string, reason: SessionEndReason): void {
    const entry = this.entries.get(sessionId);
    if (entry === undefined) return;
    this.clearGrace(entry);
    this.entries.delete(sessionId);
    this.options.onExpired(entry.session, sessionId, reason);
  }

  private clearGrace(entry: Entry<S>): void {
    if (entry.graceTimer !== null) this.clock.clearTimeout(entry.graceTimer);
    entry.graceTimer = null;
  }
}
