import {
  REDIS_SERVER_BINARY,
  redisServerAvailable,
  startRedisServer,
  type RedisServerProcess,
} from '../../../src/fleet/local-fleet/redis-server-process';

/**
 * A real redis-server for tests: started from PATH on a free loopback port with persistence off (--save ""
 * --appendonly no), so nothing survives a restart, as in production. One per test file.
 */
export type TestRedis = RedisServerProcess;

export const startRedis = (): Promise<TestRedis> => startRedisServer();

/**
 * `describe` for suites that need a real Redis. Without redis-server on PATH the suite is skipped with a line
 * saying why, except under CI=true, where a missing redis-server is a failure: CI must run every suite.
 */
export function describeWithRedis(name: string, body: () => void): void {
  if (redisServerAvailable()) {
    describe(name, body);
    return;
  }
  const why = `${REDIS_SERVER_BINARY} is not on PATH; install Redis (e.g. apt-get install redis-server) to run the fleet tests`;
  if (process.env.CI === 'true') {
    describe(name, () => {
      it('needs redis-server', () => {
        throw new Error(why);
      });
    });
    return;
  }
  console.warn(`skipping "${name}": ${why}`);
  describe.skip(name, body);
}
