import { Redis } from 'ioredis';
import { FleetRedisError } from './fleet-redis-error';

export interface FleetRedisOptions {
  /** Longest start-up may wait for Redis before it fails with FleetRedisError. */
  connectTimeoutMs: number;
  /** A command without an answer this long fails, so a hung Redis degrades the fleet instead of stalling it. */
  commandTimeoutMs: number;
  /** Shown by CLIENT LIST, to tell the replicas' connections apart. */
  connectionName: string;
}

/**
 * The URL without its credentials, for messages (REDIS_URL may carry them): the user and password before the
 * host, and every query value (`?password=` is another way to give one; the names stay, to show what was set).
 */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.username !== '') parsed.username = '***';
    if (parsed.password !== '') parsed.password = '***';
    for (const name of new Set(parsed.searchParams.keys())) parsed.searchParams.set(name, '***');
    // URLSearchParams encodes the stars; the message is for people.
    return parsed.toString().replaceAll('%2A%2A%2A', '***');
  } catch {
    return 'REDIS_URL';
  }
}

/** Reconnects forever after start-up, at most a second apart: a replica must come back whenever Redis does. */
const reconnectDelayMs = (attempt: number): number => Math.min(attempt * 100, 1000);

/**
 * Opens a connection and waits (bounded) until Redis answers. Failing that, rejects with a FleetRedisError
 * naming the cause, and nothing stays open: a bad REDIS_URL is a start-up error, not a hang.
 *
 * The connection has no offline queue: while Redis is away, commands fail at once and the fleet works from its
 * local share rather than queueing behind a dead socket.
 */
export async function connectFleetRedis(url: string, options: FleetRedisOptions): Promise<Redis> {
  const redis = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: options.commandTimeoutMs,
    connectTimeout: options.connectTimeoutMs,
    connectionName: options.connectionName,
    retryStrategy: reconnectDelayMs,
  });
  let lastError: Error | null = null;
  // ioredis emits 'error' for every failed (re)connect; the fleet's state tracking reports outages, and an
  // 'error' event without a listener would crash the process.
  redis.on('error', (error: Error) => (lastError = error));

  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${options.connectTimeoutMs} ms`)),
      options.connectTimeoutMs,
    );
  });
  try {
    await Promise.race([redis.connect(), deadline]);
    await Promise.race([redis.ping(), deadline]);
    return redis;
  } catch (error) {
    redis.disconnect();
    const cause = (lastError as Error | null)?.message ?? (error as Error).message;
    throw new FleetRedisError(`fleet mode: cannot reach Redis at ${redactRedisUrl(url)} (${cause})`);
  } finally {
    clearTimeout(timer);
  }
}
