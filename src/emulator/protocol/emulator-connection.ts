import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import { EmulatorLogger } from '../emulator-logger';
import { encodeBinaryFrame, encodeTextFrame, HeaderList, serviceHeaders } from './frame-codec';

const HIGH_WATER_BYTES = 512 * 1024;

/** 32 upper-case hex digits, like the service's ids. */
export function newServiceId(): string {
  return randomBytes(16).toString('hex').toUpperCase();
}

/** Close reasons are limited to 123 bytes by the websocket protocol. */
function clampReason(reason: string): string {
  let out = reason;
  while (Buffer.byteLength(out) > 123) out = out.slice(0, -1);
  return out;
}

/**
 * One accepted websocket: sending service messages, turn bookkeeping for the idle timeout (which never closes
 * a socket mid-turn) and closing. Owns nothing that outlives the socket.
 */
export class EmulatorConnection {
  private turns = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    readonly id: number,
    private readonly ws: WebSocket,
    readonly logger: EmulatorLogger,
    private readonly idleTimeoutMs: () => number | null,
  ) {
    this.armIdleTimer();
  }

  get isOpen(): boolean {
    return !this.closed && this.ws.readyState === WebSocket.OPEN;
  }

  sendText(
    path: string,
    requestId: string,
    body: unknown,
    contentType = 'application/json; charset=utf-8',
  ): void {
    if (!this.isOpen) return;
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    this.ws.send(encodeTextFrame(serviceHeaders(path, requestId, contentType), text));
  }

  sendBinary(headers: HeaderList, payload: Uint8Array): void {
    if (!this.isOpen) return;
    this.ws.send(encodeBinaryFrame(headers, payload));
  }

  /** Resolves when the socket's send buffer is below the high-water mark, or the socket is gone. */
  async drain(): Promise<void> {
    while (this.isOpen && this.ws.bufferedAmount > HIGH_WATER_BYTES) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  beginTurn(): void {
    this.turns++;
    this.clearIdleTimer();
  }

  endTurn(): void {
    this.turns = Math.max(0, this.turns - 1);
    this.armIdleTimer();
  }

  /** Any inbound message restarts the idle clock. */
  touch(): void {
    this.armIdleTimer();
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.clearIdleTimer();
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) {
      this.ws.close(code, clampReason(reason));
      // A client that never answers the close handshake must not keep the socket (or the server) alive.
      const ws = this.ws;
      setTimeout(() => ws.terminate(), 2_000).unref();
    }
  }

  /** Called when the socket is gone, whoever closed it. */
  disposed(): void {
    this.closed = true;
    this.clearIdleTimer();
  }

  /** (Re)starts the idle timer from the current fault settings; a no-op mid-turn or without a timeout. */
  armIdleTimer(): void {
    this.clearIdleTimer();
    const timeout = this.idleTimeoutMs();
    if (timeout === null || this.closed || this.turns > 0) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      if (this.turns > 0) return; // a turn began meanwhile; endTurn re-arms
      this.logger.debug('closing idle connection', { connection: this.id, idleMs: timeout });
      this.close(1000, 'Idle timeout');
    }, timeout);
    this.idleTimer.unref();
  }

  private clearIdleTimer(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }
}
