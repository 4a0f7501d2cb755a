import { io, type ManagerOptions, type SocketOptions } from 'socket.io-client';
import type { ErrorEvent, SessionDisplaced, SessionMoving, SessionReady } from '../protocol';
import { Listeners } from './listeners';
import { RequestRoutes, type VoiceSocket } from './requests';
import { connectFailure, VoiceError } from './voice-error';

export interface VoiceClientOptions {
  /** The service, e.g. `http://127.0.0.1:3000` (the `/voice` namespace is added); '' in a page it serves. */
  url: string;
  /** API key (VOICE_API_KEYS). A function is asked again on every (re)connect, e.g. a key the user may change. */
  token?: string | (() => string | undefined);
  /** A session to resume, from an earlier `session.ready`. */
  sessionId?: string | null;
  /** W3C trace context for the session's span (`traceparent`, optional `tracestate`), sent in the handshake. */
  traceContext?: { traceparent: string; tracestate?: string };
  /** Reconnect after a dropped connection, resuming the session (default false: a drop ends the client). */
  reconnect?: boolean;
  /** On `session.moving`, resume the session on a new connection to the same url (default true). */
  followMoves?: boolean;
  /** Longest wait for an acknowledgement unless a request says otherwise (default 30 s). */
  ackTimeoutMs?: number;
  /** Longest wait for one connection attempt (default 20 s). */
  connectTimeoutMs?: number;
  /** Passed to socket.io-client as they are (transports, reconnection delays, …). */
  socketOptions?: Partial<ManagerOptions & SocketOptions>;
}

/** `connected` means `session.ready` arrived. */
export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'disconnected';

/** What a client reports about its connection (`client.on(event, listener)`). */
export interface VoiceConnectionEvents {
  /** `session.ready`: the first one and each after a reconnect or a move (`resumed: true` when the session held). */
  ready: (session: SessionReady) => void;
  state: (state: ConnectionState) => void;
  /** A connection attempt failed: a refused handshake (the server's code), or CONNECT_FAILED. */
  connectError: (error: VoiceError) => void;
  /** Fleet mode: the replica is stopping (followed by a move unless `followMoves` is false). */
  moving: (event: SessionMoving) => void;
  /** Another connection took this session over; this one is closed by the server and does not come back. */
  displaced: (event: SessionDisplaced) => void;
  /** An `error` event that names no request of this client. */
  error: (event: ErrorEvent) => void;
}

const DEFAULT_ACK_TIMEOUT_MS = 30_000;
const DEFAULT_CONNECT_TIMEOUT_MS = 20_000;

/**
 * The `/voice` connection of a client: the handshake (token, resumable session id), `session.ready`, reconnects,
 * moves to another replica, and the routing of server events to the requests in flight. VoiceClient adds the
 * requests.
 */
export class VoiceConnection {
  protected readonly routes = new RequestRoutes();
  protected readonly ackTimeoutMs: number;
  private readonly events = new Listeners<VoiceConnectionEvents>();
  private readonly url: string;
  private current: VoiceSocket;
  /** Connections left by a move: they still deliver the answers to what was sent on them. */
  private readonly retired = new Set<VoiceSocket>();
  private session: SessionReady | null = null;
  private sessionIdValue: string | null;
  private stateValue: ConnectionState = 'connecting';
  private lastFailure: VoiceError | null = null;
  /** Set while the client itself closes the connection to open it again: not a state change worth reporting. */
  private reopening = false;

  constructor(private readonly options: VoiceClientOptions) {
    this.url = options.url.replace(/\/+$/, '');
    this.ackTimeoutMs = options.ackTimeoutMs ?? DEFAULT_ACK_TIMEOUT_MS;
    this.sessionIdValue = options.sessionId ?? null;
    this.current = this.open(this.url);
  }

  /**
   * The connection new requests go to. Exposed for tests that must send what no client would (malformed or
   * hostile traffic); ordinary traffic goes through the client's methods.
   */
  get socket(): VoiceSocket {
    return this.current;
  }

  /** The session id of the last `session.ready` (or the one given to resume, until then). */
  get sessionId(): string | null {
    return this.sessionIdValue;
  }

  get state(): ConnectionState {
    return this.stateValue;
  }

  on<K extends keyof VoiceConnectionEvents>(event: K, listener: VoiceConnectionEvents[K]): () => void {
    return this.events.on(event, listener);
  }

  /**
   * The current session once `session.ready` arrived; rejects with the VoiceError of a connection that will not
   * come (a refused handshake, a failed connect without `reconnect`, a closed client).
   */
  ready(): Promise<SessionReady> {
    if (this.stateValue === 'connected' && this.session !== null) return Promise.resolve(this.session);
    if (this.stateValue === 'disconnected') return Promise.reject(this.failure());
    return new Promise((resolve, reject) => {
      const offReady = this.on('ready', (session) => {
        off();
        resolve(session);
      });
      const offState = this.on('state', (state) => {
        if (state !== 'disconnected') return;
        off();
        reject(this.failure());
      });
      const off = (): void => {
        offReady();
        offState();
      };
    });
  }

  /** Connects again, resuming the session: e.g. with a new key (a token function is asked again). */
  reconnect(): void {
    this.reopening = true;
    this.current.disconnect();
    this.reopening = false;
    this.lastFailure = null;
    this.setState('connecting');
    this.current.connect();
  }

  /**
   * Resumes this session on a new connection (to `url`, default this client's: a load balancer picks a replica)
   * and sends new requests there; requests already sent on the old connection are still answered on it.
   */
  move(url: string = this.url): Promise<SessionReady> {
    const old = this.current;
    old.io.reconnection(false); // the replica is going away: never come back to it
    if (old.connected) {
      this.retired.add(old);
      old.once('disconnect', () => this.retired.delete(old));
    } else old.disconnect();
    this.setState('reconnecting');
    this.current = this.open(url.replace(/\/+$/, ''));
    return this.ready();
  }

  /** Closes every connection; requests still waiting fail with DISCONNECTED. */
  close(): void {
    this.lastFailure = null;
    for (const socket of [this.current, ...this.retired]) socket.disconnect();
    this.retired.clear();
    this.setState('disconnected');
  }

  private open(url: string): VoiceSocket {
    const socket: VoiceSocket = io(`${url}/voice`, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: this.options.reconnect ?? false,
      timeout: this.options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      ...this.options.socketOptions,
      auth: (send) => send(this.handshake()),
    });
    this.routes.listen(socket, (event) => this.events.emit('error', event));
    socket.on('session.ready', (session) => {
      if (socket !== this.current) return;
      this.session = session;
      this.sessionIdValue = session.sessionId;
      this.lastFailure = null;
      this.setState('connected');
      this.events.emit('ready', session);
    });
    socket.on('session.moving', (event) => {
      if (socket !== this.current) return;
      this.events.emit('moving', event);
      if (this.options.followMoves !== false) this.move().catch(() => undefined); // reported as connectError
    });
    socket.on('session.displaced', (event) => {
      if (socket === this.current) this.events.emit('displaced', event);
    });
    socket.on('disconnect', (reason) => {
      if (socket !== this.current || this.reopening) return;
      this.setState(
        reason !== 'io client disconnect' && this.willReconnect(socket) ? 'reconnecting' : 'disconnected',
      );
    });
    socket.on('connect_error', (error) => {
      if (socket !== this.current) return;
      this.lastFailure = connectFailure(error, `${url}/voice`);
      this.events.emit('connectError', this.lastFailure);
      this.setState(this.willReconnect(socket) ? 'reconnecting' : 'disconnected');
    });
    socket.io.on('reconnect_attempt', () => {
      if (socket === this.current) this.setState('reconnecting');
    });
    return socket;
  }

  private handshake(): Record<string, string> {
    const auth: Record<string, string> = {};
    const token = typeof this.options.token === 'function' ? this.options.token() : this.options.token;
    if (token !== undefined && token !== '') auth.token = token;
    if (this.sessionIdValue !== null) auth.sessionId = this.sessionIdValue;
    return { ...this.options.traceContext, ...auth };
  }

  /** Socket.IO retries on its own only with reconnection on, and never after the server refused or closed it. */
  private willReconnect(socket: VoiceSocket): boolean {
    return this.options.reconnect === true && socket.active;
  }

  private failure(): VoiceError {
    return this.lastFailure ?? new VoiceError('DISCONNECTED', 'the connection is closed', true);
  }

  private setState(state: ConnectionState): void {
    if (state === this.stateValue) return;
    this.stateValue = state;
    this.events.emit('state', state);
  }
}
