import { describeWithRedis } from '../support/fleet/redis-server';
import { freePort, spawnService } from '../support/process/service-process';
import { startLocalFleet, type LocalFleet } from '../support/fleet/fleet-harness';

jest.setTimeout(180_000);

describeWithRedis(
  'fleet replica shutdown while Redis is gone (real redis-server, real child process)',
  () => {
    let fleet: LocalFleet;

    beforeAll(async () => {
      fleet = await startLocalFleet(1, {
        SPEECH_FLEET_MAX_SIZE: '4',
        FLEET_LEASE_TTL: '3',
        LOG_LEVEL: 'info',
      });
    });
    afterAll(async () => {
      await fleet?.stop();
    });

    it('warns once, drains and exits 0 on SIGTERM, with no unhandled rejection', async () => {
      const [replica] = fleet.replicas;
      await fleet.redis.stop();
      // Let the replica notice the outage (and try to reconnect) before it is told to stop.
      await waitFor(
        () => /fleet degraded/.test(replica.service.output()),
        'the replica to report the outage',
      );
      replica.service.child.kill('SIGTERM');
      const code = await replica.service.exited;
      const output = replica.service.output();
      if (code !== 0) throw new Error(`exit code ${code}:\n${output.slice(-4000)}`);
      expect(output).not.toMatch(/unhandledRejection|uncaughtException|crashed/);
      expect(output.match(/Redis unreachable/g) ?? []).toHaveLength(1);
    });
  },
);

async function waitFor(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('a REDIS_URL with credentials, at start-up against a Redis that is not there', () => {
  it('says it cannot reach Redis and exits 1, showing neither the user, the password nor a ?password=', async () => {
    const port = await freePort(); // nothing listens there
    const service = spawnService({
      REDIS_URL: `redis://fleet-user:pw-in-userinfo@127.0.0.1:${port}/3?password=pw-in-query`,
      LOG_LEVEL: 'info',
    });
    expect(await service.exited).toBe(1);
    const output = service.output();
    expect(output).toContain('cannot reach Redis at redis://***:***@127.0.0.1');
    expect(output).not.toMatch(/pw-in-userinfo|pw-in-query|fleet-user/);
  });
});
