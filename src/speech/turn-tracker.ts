import type { SpeechError } from './speech-error';
import { settlesWithin } from './speech-client-base';

/** One SDK turn, from speak to the SDK's last word on it. It may outlive the call that started it (stopping). */
export interface Turn {
  /** Settles when the SDK reports the turn over, or the client gave up on it. */
  readonly ended: Promise<void>;
  readonly end: () => void;
  /** The SDK has sent our request, so a stop now names this turn (before that it would name the previous one). */
  started: boolean;
  /** Nobody wants this turn's audio any more: the upstream is asked to stop it once it has started. */
  stopping: boolean;
  stopSent: boolean;
  /** Ends the caller's wait, if it is still waiting: as canceled, or with an error. */
  settle: (error: SpeechError | null, canceled: boolean) => void;
}

export interface TurnTrackerOptions {
  /** Sends the protocol's stop for the current turn. */
  requestStop(): Promise<void>;
  /** Longest a stopped turn may take to end before the client is given up on. */
  stopTimeoutMs: number;
  /** A stopped turn did not end in time: the client must not be reused. */
  onStuck(): void;
  /** The current turn is over (no turn now). */
  onIdle(): void;
}

/**
 * The one turn a synthesizer runs at a time (the SDK queues concurrent speaks on one synthesizer, and a stop names
 * whatever turn is current): starting it, stopping it for a caller who let go, waiting for it to end.
 */
export class TurnTracker {
  current: Turn | null = null;

  constructor(private readonly options: TurnTrackerOptions) {}

  begin(settle: Turn['settle']): Turn {
    let end!: () => void;
    const ended = new Promise<void>((resolve) => (end = resolve));
    const turn: Turn = { ended, end, started: false, stopping: false, stopSent: false, settle };
    this.current = turn;
    return turn;
  }

  /** The SDK started the turn: a stop asked for before now can be sent. */
  started(turn: Turn): void {
    turn.started = true;
    if (turn.stopping) this.sendStop(turn);
  }

  end(turn: Turn): void {
    turn.end();
    if (this.current !== turn) return;
    this.current = null;
    this.options.onIdle();
  }

  /** The caller is done with this turn: end its wait as canceled and ask the upstream to stop producing audio. */
  stop(turn: Turn): void {
    turn.settle(null, true);
    if (turn.stopping) return;
    turn.stopping = true;
    if (turn.started) this.sendStop(turn);
  }

  /** Waits for a stopped turn to end, at most `stopTimeoutMs`; past that the client is stuck. */
  async awaitStopped(turn: Turn): Promise<void> {
    if (await settlesWithin(turn.ended, this.options.stopTimeoutMs)) return;
    this.options.onStuck();
    this.end(turn);
  }

  /** One turn at a time: a stopping turn is waited for (bounded), a running one until it ends (its deadline). */
  async settlePrevious(): Promise<void> {
    for (let turn = this.current; turn !== null; turn = this.current) {
      if (turn.stopping) await this.awaitStopped(turn);
      else await turn.ended;
    }
  }

  private sendStop(turn: Turn): void {
    if (turn.stopSent || this.current !== turn) return;
    turn.stopSent = true;
    // A failed send leaves the turn running: the bounded wait for its end then marks the client stuck.
    this.options.requestStop().catch(() => undefined);
  }
}
