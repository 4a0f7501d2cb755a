import type { Namespace, Socket } from 'socket.io';

/** A connected socket and the session it holds. */
export interface ConnectedSession {
  readonly socket: Socket;
  readonly sessionId: string;
}

/**
 * What the voice layer tells the fleet about its sessions, and asks of it. In fleet mode (REDIS_URL) it is
 * FleetVoiceSessions; in a single process it is SINGLE_PROCESS, which needs no Redis (this file imports none).
 * `principal` stands for the API key a connection authenticated with.
 */
export interface SessionFleet {
  /**
   * The handshake of a connection asking for `sessionId`, after authentication: whether it takes the session over
   * from another replica (then it is resumed here under that id). `false` at once when that cannot be.
   */
  adopts(sessionId: string, principal: string): Promise<boolean> | false;
  /**
   * From the start: sessions of this replica that clients resumed on another one (announced between replicas, or
   * noticed at a heartbeat) are handed to `movedAway`, which ends each here.
   */
  watch(namespace: Namespace, movedAway: (sessionId: string) => void): void;
  /** A connection holds `sessionId` here now; `adopted`: taken over from another replica, which lets go of it. */
  attached(sessionId: string, principal: string, adopted: boolean): void;
  /** The connection is gone: the session can be resumed on any replica within `graceMs`. */
  detached(sessionId: string, graceMs: number): void;
  /** The session ended here. */
  ended(sessionId: string): void;
  /**
   * Shutdown began: every connected client is asked (`session.moving`) to reconnect, through the load balancer,
   * with its session id; requests already sent here still get their answers before the connection closes.
   */
  leave(connected: Iterable<ConnectedSession>): void;
}

/** One process, no fleet: sessions live and end here, and nothing is announced. */
export const SINGLE_PROCESS: SessionFleet = Object.freeze({
  adopts: () => false as const,
  watch: () => undefined,
  attached: () => undefined,
  detached: () => undefined,
  ended: () => undefined,
  leave: () => undefined,
});
