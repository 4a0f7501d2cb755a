import type { Namespace } from 'socket.io';

/** The `ws` WebSocket under an engine.io websocket transport (engine.io keeps it out of its types). */
interface TransportWebSocket {
  readyState: number;
  once(event: 'close', listener: () => void): void;
  terminate(): void;
}

const WS_CLOSED = 3;

function websocketOf(conn: unknown): TransportWebSocket | null {
  const socket = (conn as { transport?: { socket?: Partial<TransportWebSocket> } }).transport?.socket;
  return typeof socket?.terminate === 'function' ? (socket as TransportWebSocket) : null;
}

/**
 * Disconnects every socket of the namespace and waits up to `handshakeMs` for their websockets to finish the
 * close handshake. One still not closed then — its peer stopped reading, so the handshake cannot finish — is
 * destroyed: it would otherwise hold the process for the `ws` library's 30 s close timeout. (engine.io reports
 * a connection closed as soon as it has asked its websocket to close, so the websocket itself is watched.)
 * Resolves with the number of connections destroyed.
 */
export async function closeConnections(namespace: Namespace, handshakeMs: number): Promise<number> {
  const websockets = [...namespace.sockets.values()]
    .map((socket) => websocketOf(socket.conn))
    .filter((ws): ws is TransportWebSocket => ws !== null && ws.readyState !== WS_CLOSED);
  // This server's sockets only: with the fleet's Redis adapter a plain disconnectSockets() reaches every replica.
  namespace.local.disconnectSockets(true);
  if (websockets.length === 0) return 0;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    Promise.all(websockets.map((ws) => new Promise<void>((resolve) => ws.once('close', resolve)))),
    new Promise<void>((resolve) => (timer = setTimeout(resolve, handshakeMs))),
  ]);
  clearTimeout(timer);
  const stalled = websockets.filter((ws) => ws.readyState !== WS_CLOSED);
  for (const ws of stalled) ws.terminate();
  return stalled.length;
}
