import { Injectable } from '@nestjs/common';
import { FleetCoordinator } from '../replicas/fleet-coordinator';
import { SessionDirectory } from './session-directory';

/**
 * What the voice gateway asks of the fleet about sessions (FLEET_SESSIONS). `principal` stands for the API key a
 * connection authenticated with; only its hash reaches Redis.
 */
@Injectable()
export class FleetVoiceSessions {
  private leavingFleet = false;

  constructor(
    private readonly directory: SessionDirectory,
    private readonly coordinator: FleetCoordinator,
  ) {}

  get replicaId(): string {
    return this.coordinator.replicaId;
  }

  /**
   * Before a connection that asks for `sessionId` attaches: the replica the session lives on, when that is
   * another one and the key matches (the connection takes it over); null otherwise (unknown id, another key, a
   * session of this replica, or Redis unreachable: then this replica decides alone).
   */
  async movingFrom(sessionId: string, principal: string): Promise<string | null> {
    const claim = await this.directory.claim(sessionId, principal, false);
    return claim.status === 'resumed' && claim.previousOwner !== this.replicaId ? claim.previousOwner : null;
  }

  /** A connection holds `sessionId` here now (new, resumed here, or taken over): the fleet records it. */
  attached(sessionId: string, principal: string): void {
    void this.directory.claim(sessionId, principal, true);
  }

  /** The connection is gone: the session can be resumed on any replica within `graceMs`. */
  detached(sessionId: string, graceMs: number): void {
    void this.directory.detach(sessionId, graceMs);
  }

  /** The session ended here. While leaving the fleet its record is left to expire, for a resume elsewhere. */
  ended(sessionId: string): void {
    if (this.leavingFleet) this.directory.forget(sessionId);
    else void this.directory.end(sessionId);
  }

  /** Shutdown began: sessions are moving to other replicas, so their records must outlive this one. */
  leaving(): void {
    this.leavingFleet = true;
  }

  /** Sessions of this replica that clients resumed elsewhere (noticed at a heartbeat). */
  onMovedAway(listener: (sessionIds: readonly string[]) => void): () => void {
    return this.directory.onLost(listener);
  }
}
