import type { Namespace } from 'socket.io';

/** The parts of engine.io's connection used here; its transport's `socket` (the `ws` WebSocket) is untyped. */
interface EngineConnection {
  readyState: string;
  once(event: 'close', listener: () => void): void;
  transport?: { socket?: { terminate?: () => void } };
  close(discard?: boolean): void;
}

/**
 * Disconnects every socket of the namespace and waits up to `handshakeMs` for their connections to close.
 * A connection still open then — its peer stopped reading, so the close handshake cannot finish — is destroyed:
 * a websocket's close handshake would otherwise hold the process for the `ws` library's 30 s close timeout.
 * Resolves with the number of connections destroyed.
 */
export async function closeConnections(namespace: Namespace, handshakeMs: number): Promise<number> {
  const open = [...namespace.sockets.values()].map((socket) => socket.conn as unknown as EngineConnection);
  namespace.disconnectSockets(true);
  const pending = open.filter((conn) => conn.readyState !== 'closed');
  if (pending.length === 0) return 0;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    Promise.all(pending.map((conn) => new Promise<void>((resolve) => conn.once('close', resolve)))),
    new Promise<void>((resolve) => (timer = setTimeout(resolve, handshakeMs))),
  ]);
  clearTimeout(timer);
  let destroyed = 0;
  for (const conn of pending) {
    if (conn.readyState === 'closed') continue;
    destroyed++;
    const websocket = conn.transport?.socket;
    if (websocket?.terminate !== undefined) websocket.terminate();
    else conn.close(true);
  }
  return destroyed;
}
