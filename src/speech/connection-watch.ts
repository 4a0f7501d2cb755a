import type { Connection } from 'microsoft-cognitiveservices-speech-sdk';
import { SpeechError } from './speech-error';

/**
 * Tracks whether an SDK client's socket is up, and opens it ahead of use. One per client, kept for the client's
 * life: the SDK attaches listeners per Connection object and Connection.close() releases nothing.
 */
export class ConnectionWatch {
  private up = false;
  private waiter: (() => void) | null = null;

  constructor(
    private readonly connection: Connection,
    private readonly mapError: (what: string, details: string) => SpeechError,
  ) {
    connection.connected = () => {
      this.up = true;
      this.waiter?.();
    };
    // The upstream drops idle sockets; the next use would silently pay the connect cost again.
    connection.disconnected = () => {
      this.up = false;
    };
  }

  get isConnected(): boolean {
    return this.up;
  }

  /** Opens the socket and resolves once it is up (openConnection itself returns before that). */
  open(timeoutMs: number): Promise<void> {
    if (this.up) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const done = (error: SpeechError | null): void => {
        clearTimeout(timer);
        this.waiter = null;
        if (error) reject(error);
        else resolve();
      };
      const timer = setTimeout(
        () => done(new SpeechError('TIMEOUT', `speech service connection not up within ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.waiter = () => done(null);
      this.connection.openConnection(
        () => {
          if (this.up) done(null);
        },
        (error: string) => done(this.mapError('connect', error)),
      );
    });
  }

  detach(): void {
    detachHandler(this.connection, 'connected');
    detachHandler(this.connection, 'disconnected');
    this.waiter = null;
    this.up = false;
  }
}

/** SDK event handlers are plain properties typed as always-present functions; unsetting needs this one cast. */
export function detachHandler<T extends object>(target: T, key: keyof T): void {
  (target as Record<keyof T, unknown>)[key] = undefined;
}
