import type { Redis } from 'ioredis';
import type { FleetKeys } from '../redis/fleet-keys';
import {
  CLAIM_SESSION,
  END_SESSION,
  EXPIRE_SESSION,
  REFRESH_SESSIONS,
  TAKEN_SESSIONS,
} from '../redis/session-scripts';
import { apiKeyHash } from './api-key-hash';
import type { SessionClaim } from './session-claim';

export interface SessionDirectoryOptions {
  redis: Redis;
  keys: FleetKeys;
  replicaId: string;
  /** A connected session's record lives this long past this replica's last refresh (its heartbeat). */
  leaseTtlMs: number;
}

/** Told about sessions of this replica that a client resumed on another replica meanwhile. */
export type SessionsLostListener = (sessionIds: readonly string[]) => void;

/**
 * Fleet-wide session records in Redis: owner replica and API key hash per session id, so a session can resume
 * on any replica within its grace and no one can take it over with another key. Records of connected sessions
 * are refreshed with every heartbeat and expire FLEET_LEASE_TTL after the owner stops beating; a disconnected
 * session's record lives for the resume grace.
 *
 * Redis being unreachable never fails a connection: a claim then answers `unavailable` and the replica decides
 * alone; the next refresh writes back the records of its connected sessions.
 */
export class SessionDirectory {
  /** Sessions connected here: id -> key hash (written back to Redis if it lost them). */
  private readonly attached = new Map<string, string>();
  /**
   * Sessions disconnected here and still in their resume grace. A resume on another replica is announced over
   * Socket.IO's Redis adapter, but a publish made while a replica's subscriber reconnects is lost; checking these
   * at each heartbeat means a moved session still lets go of its clients within a heartbeat, not at grace end.
   */
  private readonly detached = new Set<string>();
  private readonly lostListeners = new Set<SessionsLostListener>();

  constructor(private readonly options: SessionDirectoryOptions) {}

  get connected(): number {
    return this.attached.size;
  }

  onLost(listener: SessionsLostListener): () => void {
    this.lostListeners.add(listener);
    return () => this.lostListeners.delete(listener);
  }

  /**
   * A client connected with `sessionId` and `apiKey` (or any string standing for the key): records it as this
   * replica's unless it belongs to another key. With `create` false an id no replica knows stays unknown.
   */
  async claim(sessionId: string, apiKey: string | undefined, create = true): Promise<SessionClaim> {
    const keyHash = apiKeyHash(apiKey);
    let status: 'new' | 'resumed' | 'forbidden' | 'unknown';
    let previousOwner: string;
    try {
      [status, previousOwner] = await CLAIM_SESSION.run(
        this.options.redis,
        [this.options.keys.session(sessionId)],
        [this.options.replicaId, keyHash, this.options.leaseTtlMs, create ? 1 : 0],
      );
    } catch {
      this.detached.delete(sessionId);
      this.attached.set(sessionId, keyHash);
      return { status: 'unavailable' };
    }
    if (status === 'forbidden' || status === 'unknown') return { status };
    this.detached.delete(sessionId);
    this.attached.set(sessionId, keyHash);
    return status === 'new' ? { status } : { status, previousOwner };
  }

  /** The session's client disconnected: its record stays for `graceMs`, for a resume on any replica. */
  async detach(sessionId: string, graceMs: number): Promise<void> {
    if (!this.attached.delete(sessionId)) return;
    this.detached.add(sessionId);
    await this.quietly(
      EXPIRE_SESSION.run(
        this.options.redis,
        [this.options.keys.session(sessionId)],
        [this.options.replicaId, Math.max(1, Math.round(graceMs))],
      ),
    );
  }

  /** The session is over here (its grace ran out, or it closed): drop the record if it is still ours. */
  async end(sessionId: string): Promise<void> {
    this.attached.delete(sessionId);
    this.detached.delete(sessionId);
    await this.quietly(
      END_SESSION.run(this.options.redis, [this.options.keys.session(sessionId)], [this.options.replicaId]),
    );
  }

  /** Forgets a session that another replica took over, without touching its record. */
  forget(sessionId: string): void {
    this.attached.delete(sessionId);
    this.detached.delete(sessionId);
  }

  /**
   * Extends the records of the sessions connected here (writing back any Redis lost) and reports those that
   * were resumed elsewhere meanwhile, connected or in their grace. Throws when Redis is unreachable (the
   * coordinator counts that as a failure).
   */
  async refresh(): Promise<void> {
    const lost = [...(await this.refreshConnected()), ...(await this.takenWhileDetached())];
    if (lost.length === 0) return;
    for (const listener of this.lostListeners) listener(lost);
  }

  private async refreshConnected(): Promise<string[]> {
    if (this.attached.size === 0) return [];
    const ids = [...this.attached.keys()];
    const lostIndexes = await REFRESH_SESSIONS.run(
      this.options.redis,
      ids.map((id) => this.options.keys.session(id)),
      [this.options.replicaId, this.options.leaseTtlMs, ...ids.map((id) => this.attached.get(id)!)],
    );
    const lost = lostIndexes.map((i) => ids[i - 1]);
    for (const id of lost) this.attached.delete(id);
    return lost;
  }

  private async takenWhileDetached(): Promise<string[]> {
    if (this.detached.size === 0) return [];
    const ids = [...this.detached];
    const takenIndexes = await TAKEN_SESSIONS.run(
      this.options.redis,
      ids.map((id) => this.options.keys.session(id)),
      [this.options.replicaId],
    );
    const taken = takenIndexes.map((i) => ids[i - 1]);
    for (const id of taken) this.detached.delete(id);
    return taken;
  }

  private async quietly(command: Promise<unknown>): Promise<void> {
    try {
      await command;
    } catch {
      // Redis is away: the record expires on its own, which is what this call was hurrying along.
    }
  }
}
