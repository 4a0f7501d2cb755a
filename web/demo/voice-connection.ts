import type { Socket } from 'socket.io-client';
import { connectNamespace, isRefusal } from '../shared/auth-socket';
import type { ConnectionState } from '../shared/connection-status';
import { toTypedError, type TypedError } from '../shared/typed-error';

const SESSION_KEY = 'warmline.sessionId';

export interface SessionReady {
  sessionId: string;
  resumed: boolean;
}

export interface VoiceConnectionEvents {
  state(state: ConnectionState): void;
  ready(session: SessionReady): void;
  /** The handshake was refused or the connection failed; null once connected again. */
  error(error: TypedError | null): void;
}

/**
 * The page's voice session (`/voice`). The session id from `session.ready` is sent back on every reconnect, so a
 * dropped connection (or a reload of the tab) resumes the same session and keeps its DEDICATED synthesizer.
 */
export class VoiceConnection {
  readonly socket: Socket;
  private sessionId: string | null = readSessionId();

  constructor(
    private readonly token: () => string,
    private readonly events: VoiceConnectionEvents,
  ) {
    this.socket = connectNamespace('/voice', () => this.auth());
    this.socket.on('session.ready', (session: SessionReady) => {
      this.sessionId = session.sessionId;
      writeSessionId(session.sessionId);
      this.events.error(null);
      this.events.state('connected');
      this.events.ready(session);
    });
    this.socket.on('disconnect', (reason) => {
      this.events.state(reason === 'io client disconnect' ? 'disconnected' : 'reconnecting');
    });
    this.socket.on('connect_error', (error: Error) => {
      this.events.error(toTypedError(error, 'UPSTREAM_UNAVAILABLE'));
      // A refusal is final until the key changes; other failures are retried by the client.
      this.events.state(isRefusal(error) || !this.socket.active ? 'disconnected' : 'reconnecting');
    });
    this.socket.io.on('reconnect_attempt', () => this.events.state('reconnecting'));
  }

  get currentSessionId(): string | null {
    return this.sessionId;
  }

  /** Connects again with the current key (after the user changed it). */
  reconnect(): void {
    this.events.state('connecting');
    this.socket.disconnect();
    this.socket.connect();
  }

  private auth(): Record<string, string> {
    const auth: Record<string, string> = {};
    const token = this.token();
    if (token !== '') auth.token = token;
    if (this.sessionId !== null) auth.sessionId = this.sessionId;
    return auth;
  }
}

function readSessionId(): string | null {
  try {
    return sessionStorage.getItem(SESSION_KEY);
  } catch {
    return null;
  }
}

function writeSessionId(sessionId: string): void {
  try {
    sessionStorage.setItem(SESSION_KEY, sessionId);
  } catch {
    // storage disabled: the id is still kept in memory for reconnects
  }
}
