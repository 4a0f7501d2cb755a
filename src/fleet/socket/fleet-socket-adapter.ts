import { createAdapter } from '@socket.io/redis-adapter';
import type { Redis } from 'ioredis';

export interface FleetSocketAdapter {
  /** For `io.adapter(...)` (or IoAdapter's createIOServer): Socket.IO's maintained Redis adapter. */
  readonly adapter: ReturnType<typeof createAdapter>;
  close(): Promise<void>;
}

/**
 * Channel prefix of the replicas' Socket.IO messages: under the fleet's prefix, because pub/sub channels are
 * server-wide (they ignore the DB number), so two deployments on one Redis must differ here too.
 */
export const fleetSocketChannel = (keyPrefix: string): string => `${keyPrefix}socket.io`;

/** The commands the adapter sends without handling their promise (publish; subscriptions, also at close). */
const UNHANDLED_BY_ADAPTER = ['publish', 'subscribe', 'psubscribe', 'unsubscribe', 'punsubscribe'] as const;

/**
 * Makes the commands the adapter fires and forgets settle quietly when Redis is away: a rejection nobody handles
 * would end the process (at shutdown during an outage, the adapter's unsubscribes time out). A message lost that
 * way is what a broadcast during an outage is anyway: fleet state is rebuilt from the heartbeats, not from
 * messages; subscriptions are restored by ioredis when it reconnects.
 */
function settleQuietly(client: Redis): void {
  for (const name of UNHANDLED_BY_ADAPTER) {
    // The overloads of these methods cannot be named in one signature; the wrapper passes arguments through.
    const original = client[name].bind(client) as (...args: unknown[]) => Promise<unknown>;
    (client as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>)[name] = (...args) =>
      original(...args).catch(() => 0);
  }
}

/** Quit when Redis answers, otherwise close the socket at once (a quit would wait for a Redis that is gone). */
async function closeClient(client: Redis): Promise<void> {
  if (client.status !== 'ready') {
    client.disconnect();
    return;
  }
  await client.quit().catch(() => client.disconnect());
}

/**
 * Cross-replica Socket.IO messaging (broadcasts, `serverSideEmit`, remote `disconnectSockets`) over Socket.IO's
 * Redis adapter, on two connections of its own (a subscribed connection can do nothing else).
 */
export async function createFleetSocketAdapter(base: Redis, keyPrefix: string): Promise<FleetSocketAdapter> {
  const pub = base.duplicate();
  // Subscriptions made while Redis is away (a namespace created then) wait for it, rather than being lost.
  const sub = base.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null });
  for (const client of [pub, sub]) {
    client.on('error', () => undefined); // reported by the fleet's own state
    settleQuietly(client);
  }
  await Promise.all([pub.connect(), sub.connect()]);
  return {
    adapter: createAdapter(pub, sub, { key: fleetSocketChannel(keyPrefix) }),
    async close() {
      await Promise.all([pub, sub].map(closeClient));
    },
  };
}
