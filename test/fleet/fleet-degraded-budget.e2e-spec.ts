import { Redis } from 'ioredis';
import { FleetKeys } from '../../src/fleet/redis/fleet-keys';
import { describeWithRedis } from '../support/fleet/redis-server';
import { synthesize } from '../support/app/voice-harness';
import { startLocalFleet, type LocalFleet } from '../support/fleet/fleet-harness';

jest.setTimeout(180_000);

const FLEET_CAP = 3; // per pool
const WARM = 1; // per pool and replica: the three replicas hold the whole cap as warm clients

describeWithRedis(
  'a degraded fleet stays within the fleet budget (real redis-server, emulator counting sockets)',
  () => {
    let fleet: LocalFleet;

    beforeAll(async () => {
      fleet = await startLocalFleet(3, {
        SPEECH_FLEET_MAX_SIZE: String(FLEET_CAP),
        SPEECH_POOL_WARM_SIZE: String(WARM),
        SPEECH_POOL_ACQUIRE_TIMEOUT: '2',
        FLEET_LEASE_TTL: '6',
      });
    });
    afterAll(async () => {
      await fleet?.stop();
    });

    it('bases each share on the replicas seen within a lease TTL, not the stale count when Redis failed', async () => {
      const [, second, third] = fleet.replicas;
      // A reset of the heartbeats (as a restart or FLUSHALL does): the others' entries keep vanishing, so the
      // first replica's heartbeats see it alone while the others register again, and then Redis goes away.
      const redis = new Redis(fleet.redis.url);
      const resetUntil = Date.now() + 2_500;
      while (Date.now() < resetUntil) {
        await redis.zrem(new FleetKeys().heartbeats, second.id, third.id);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      redis.disconnect();
      await fleet.redis.stop();
      await fleet.faults({}); // the peak counts from the sockets open now: the fleet's warm clients

      // Demand everywhere: more syntheses at once than the whole fleet budget.
      const clients = fleet.replicas.flatMap((replica) => [0, 1, 2, 3].map(() => fleet.connect(replica)));
      await Promise.allSettled(
        clients.map((client, i) =>
          synthesize(client, { text: `degraded fleet request ${i}`, format: 'pcm-16k' }),
        ),
      );
      const stats = await fleet.stats();
      const warnings = fleet.replicas.map(
        (r) => `${r.id}: ${r.service.output().match(/Redis unreachable.*/)?.[0]}`,
      );
      // Both pools' caps: warm STT clients stay as they were, TTS never grows past the fleet's budget.
      expect({ peak: stats.connectionsPeak, warnings }).toEqual({ peak: 2 * FLEET_CAP, warnings });
    });
  },
);
