/** `GET /emulator/stats` (src/emulator/README.md). */
export interface EmulatorStats {
  /** Live websocket connections. */
  connectionsOpen: number;
  /** Websocket connections accepted. */
  connectionsTotal: number;
  /** Most connections open at once. */
  connectionsPeak: number;
  /** Upgrades refused (faults, key, cap, unknown path). */
  rejectedTotal: number;
  /** Synthesis turns started (an `ssml` message received). */
  syntheses: number;
  /** Recognition turns started (one per recognizeOnce, one per continuous recognition session). */
  recognitions: number;
}

export class EmulatorCounters {
  private open = 0;
  private total = 0;
  private peak = 0;
  private rejected = 0;
  private synthesisTurns = 0;
  private recognitionTurns = 0;

  connectionOpened(): void {
    this.open++;
    this.total++;
    this.peak = Math.max(this.peak, this.open);
  }

  connectionClosed(): void {
    this.open--;
  }

  upgradeRejected(): void {
    this.rejected++;
  }

  synthesisStarted(): void {
    this.synthesisTurns++;
  }

  recognitionStarted(): void {
    this.recognitionTurns++;
  }

  /** Zeroes everything but the live socket count; the peak restarts from it. */
  reset(): void {
    this.total = 0;
    this.rejected = 0;
    this.synthesisTurns = 0;
    this.recognitionTurns = 0;
    this.peak = this.open;
  }

  snapshot(): EmulatorStats {
    return {
      connectionsOpen: this.open,
      connectionsTotal: this.total,
      connectionsPeak: this.peak,
      rejectedTotal: this.rejected,
      syntheses: this.synthesisTurns,
      recognitions: this.recognitionTurns,
    };
  }
}
