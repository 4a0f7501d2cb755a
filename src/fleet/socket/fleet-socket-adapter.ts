import { createAdapter } from '@socket.io/redis-adapter';
import type { Redis } from 'ioredis';

export interface FleetSocketAdapter {
  /** For `io.adapter(...)` (or IoAdapter's createIOServer): Socket.IO's maintained Redis adapter. */
  readonly adapter: ReturnType<typeof createAdapter>;
  close(): Promise<void>;
}

/** Channel prefix of the replicas' Socket.IO messages, next to the fleet's keys. */
export const FLEET_SOCKET_CHANNEL = 'warmline:socket.io';

/**
 * Cross-replica Socket.IO messaging (broadcasts, `serverSideEmit`, remote `disconnectSockets`) over Socket.IO's
 * Redis adapter, on two connections of its own (a subscribed connection can do nothing else).
 *
 * The adapter publishes without handling the promise; with no offline queue a publish while Redis is away
 * rejects, and an unhandled rejection would end the process. Such a message is lost instead, which is what a
 * broadcast during an outage is anyway: fleet state is rebuilt from the heartbeats, not from messages.
 */
export async function createFleetSocketAdapter(base: Redis): Promise<FleetSocketAdapter> {
  const pub = base.duplicate();
  // Subscriptions made while Redis is away (a namespace created then) wait for it, rather than being lost.
  const sub = base.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null });
  for (const client of [pub, sub]) client.on('error', () => undefined); // reported by the fleet's own state
  await Promise.all([pub.connect(), sub.connect()]);
  const publish = pub.publish.bind(pub);
  pub.publish = (channel: string | Buffer, message: string | Buffer) =>
    publish(channel, message).catch(() => 0);
  return {
    adapter: createAdapter(pub, sub, { key: FLEET_SOCKET_CHANNEL }),
    async close() {
      await Promise.all([pub, sub].map((client) => client.quit().catch(() => client.disconnect())));
    },
  };
}
