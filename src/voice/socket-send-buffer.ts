import type { Socket } from 'socket.io';

/** The parts of engine.io's connection we read; `writeBuffer` and the transport's socket are not in its types. */
interface EngineConnection {
  writeBuffer?: Array<{ data?: unknown }>;
  transport?: { socket?: { bufferedAmount?: number } };
}

function packetBytes(data: unknown): number {
  if (typeof data === 'string') return data.length;
  if (Buffer.isBuffer(data) || data instanceof ArrayBuffer || ArrayBuffer.isView(data))
    return data.byteLength;
  return 0;
}

/**
 * Bytes queued for a connection but not yet handed to the kernel: engine.io's write buffer (packets waiting for
 * the transport: polling clients that have not polled, websocket sends not yet flushed) plus the websocket's own
 * send buffer. A client that reads slower than we produce shows up here first.
 */
export function sendBufferBytes(socket: Socket): number {
  const conn = socket.conn as unknown as EngineConnection;
  let bytes = conn.transport?.socket?.bufferedAmount ?? 0;
  for (const packet of conn.writeBuffer ?? []) bytes += packetBytes(packet.data);
  return bytes;
}
