import type { VoiceClient } from '../../../src/client';
import { startEmulator, type RunningEmulator } from '../../../src/emulator';
import { freePort, spawnService, waitForReady, type ServiceProcess } from '../process/service-process';
import { closeAll, newClient, type ClientOptions } from '../app/voice-harness';
import { startRedis, type TestRedis } from './redis-server';

/** API keys the fleet accepts (VOICE_API_KEYS). */
export const FLEET_API_KEYS = ['fleet-key-a-0123456789', 'fleet-key-b-0123456789'] as const;

/** Headers for the operational routes (`/api/v1/pools`, `/api/v1/fleet`, `/metrics`), which need a key too. */
export const OPERATOR_HEADERS = { authorization: `Bearer ${FLEET_API_KEYS[0]}` };

export interface Replica {
  id: string;
  url: string;
  service: ServiceProcess;
}

export interface LocalFleet {
  redis: TestRedis;
  emulator: RunningEmulator;
  replicas: Replica[];
  /** Starts one more replica (or one again, under the same id and port). */
  startReplica(id: string, port?: number): Promise<Replica>;
  /** Emulator counters. */
  stats(): Promise<{ connectionsOpen: number; connectionsPeak: number; rejectedTotal: number }>;
  /** Resets the emulator's counters and applies faults (e.g. maxConnections). */
  faults(settings: Record<string, unknown>): Promise<void>;
  /** A client of a replica's `/voice` (with the first key unless `options` says otherwise). */
  connect(replica: Replica, options?: ClientOptions): VoiceClient;
  stop(): Promise<void>;
}

/**
 * Redis, the emulator and N replicas of the real service (src/main.ts in child processes), in fleet mode. The
 * replicas' logs are kept for failure messages (service.output()).
 */
export async function startLocalFleet(count: number, env: Record<string, string>): Promise<LocalFleet> {
  const redis = await startRedis();
  const emulator = await startEmulator({ port: 0, voice: 'synthetic' });
  const clients: VoiceClient[] = [];
  const replicas: Replica[] = [];

  const startReplica = async (id: string, port?: number): Promise<Replica> => {
    const chosen = port ?? (await freePort());
    const url = `http://127.0.0.1:${chosen}`;
    const service = spawnService({
      PORT: String(chosen),
      AZURE_SPEECH_HOST: emulator.url,
      AZURE_SPEECH_KEY: 'fleet-key',
      REDIS_URL: redis.url,
      REPLICA_ID: id,
      LOG_LEVEL: 'info',
      VOICE_API_KEYS: FLEET_API_KEYS.join(','),
      // Every test client uses one key: per-key budgets would limit the test, not the fleet.
      VOICE_REQUEST_RATE: '10000',
      VOICE_REQUEST_BURST: '10000',
      VOICE_MAX_CONCURRENT_PER_KEY: '10000',
      VOICE_MAX_SESSIONS_PER_KEY: '100000',
      ...env,
    });
    const replica = { id, url, service };
    await waitForReady(url, service);
    const at = replicas.findIndex((r) => r.id === id);
    if (at >= 0) replicas[at] = replica;
    else replicas.push(replica);
    return replica;
  };

  try {
    await Promise.all(Array.from({ length: count }, (_, i) => startReplica(`replica-${i + 1}`)));
    replicas.sort((a, b) => a.id.localeCompare(b.id));
  } catch (error) {
    for (const r of replicas) r.service.child.kill('SIGKILL');
    await emulator.close();
    await redis.stop();
    throw error;
  }

  return {
    redis,
    emulator,
    replicas,
    startReplica,
    async stats() {
      return (await (await fetch(`${emulator.httpUrl}/emulator/stats`)).json()) as Awaited<
        ReturnType<LocalFleet['stats']>
      >;
    },
    async faults(settings) {
      await fetch(`${emulator.httpUrl}/emulator/reset`, { method: 'POST' });
      await fetch(`${emulator.httpUrl}/emulator/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(settings),
      });
    },
    connect(replica, options = {}) {
      const client = newClient(replica.url, { token: FLEET_API_KEYS[0], ...options });
      clients.push(client);
      return client;
    },
    async stop() {
      closeAll(clients);
      for (const r of replicas) r.service.child.kill('SIGKILL');
      await Promise.all(replicas.map((r) => r.service.exited));
      await emulator.close();
      await redis.stop();
    },
  };
}
