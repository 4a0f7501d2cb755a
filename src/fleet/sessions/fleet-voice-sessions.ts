import { Injectable } from '@nestjs/common';
import type { Namespace } from 'socket.io';
import type { SessionMoving } from '../../protocol';
import { FleetCoordinator } from '../replicas/fleet-coordinator';
import type { ConnectedSession, SessionFleet } from './session-fleet';
import { SessionDirectory } from './session-directory';

/** Server-side event between replicas (Socket.IO Redis adapter): a session was resumed on the sender. */
const SESSION_MOVED = 'fleet:session-moved';

/**
 * The voice sessions' fleet side (FLEET_SESSIONS): fleet-wide session records in Redis (only a hash of the API key
 * reaches it), takeovers of sessions that live on another replica, and the hand-over at shutdown.
 */
@Injectable()
export class FleetVoiceSessions implements SessionFleet {
  private leavingFleet = false;
  private namespace: Namespace | null = null;

  constructor(
    private readonly directory: SessionDirectory,
    private readonly coordinator: FleetCoordinator,
  ) {}

  get replicaId(): string {
    return this.coordinator.replicaId;
  }

  /**
   * True when the session lives on another replica and the key matches (the connection takes it over); false
   * otherwise (unknown id, another key, a session of this replica, or Redis unreachable: then this replica decides
   * alone).
   */
  async adopts(sessionId: string, principal: string): Promise<boolean> {
    const claim = await this.directory.claim(sessionId, principal, false);
    return claim.status === 'resumed' && claim.previousOwner !== this.replicaId;
  }

  watch(namespace: Namespace, movedAway: (sessionId: string) => void): void {
    this.namespace = namespace;
    // The fast path: the replica that took a session over says so at once.
    namespace.on(SESSION_MOVED, (moved: { sessionId?: unknown }) => {
      if (typeof moved?.sessionId === 'string') movedAway(moved.sessionId);
    });
    // A publish is lost while this replica's subscriber reconnects: the heartbeat's check catches those.
    this.directory.onLost((ids) => ids.forEach((id) => movedAway(id)));
  }

  attached(sessionId: string, principal: string, adopted: boolean): void {
    void this.directory.claim(sessionId, principal, true);
    // The replica that held the session lets go of it (and its clients) at once.
    if (adopted) this.namespace?.serverSideEmit(SESSION_MOVED, { sessionId });
  }

  detached(sessionId: string, graceMs: number): void {
    void this.directory.detach(sessionId, graceMs);
  }

  /** While leaving the fleet a session's record is left to expire, for a resume elsewhere. */
  ended(sessionId: string): void {
    if (this.leavingFleet) this.directory.forget(sessionId);
    else void this.directory.end(sessionId);
  }

  leave(connected: Iterable<ConnectedSession>): void {
    this.leavingFleet = true;
    for (const { socket, sessionId } of connected) {
      const moving: SessionMoving = { sessionId };
      socket.emit('session.moving', moving);
    }
  }
}
