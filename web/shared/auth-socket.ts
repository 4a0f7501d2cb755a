import { io, type Socket } from 'socket.io-client';

/**
 * A Socket.IO connection to one of the service's namespaces (same origin) that sends the current API key, and
 * whatever else `auth()` returns, on every (re)connect.
 */
export function connectNamespace(namespace: string, auth: () => Record<string, string>): Socket {
  return io(namespace, {
    auth: (callback) => callback(auth()),
    // Websocket first; long-polling only where a proxy blocks websockets.
    transports: ['websocket', 'polling'],
    reconnectionDelay: 500,
    reconnectionDelayMax: 5_000,
  });
}

/** A handshake the service refused (wrong or missing key): retrying with the same key cannot succeed. */
export function isRefusal(error: Error): boolean {
  return error.message === 'UNAUTHORIZED';
}
