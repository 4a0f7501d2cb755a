import { Redis } from 'ioredis';
import { FleetKeys } from '../../src/fleet/redis/fleet-keys';
import { describeWithRedis } from '../support/fleet/redis-server';
import { synthesize } from '../support/app/voice-harness';
import { startLocalFleet, type LocalFleet, type Replica } from '../support/fleet/fleet-harness';

jest.setTimeout(180_000);

const FLEET_CAP = 3; // per pool
const WARM = 1; // per pool and replica: the three replicas hold the whole cap as warm clients

/** Polls a replica's readiness until its fleet entry's `replicasLastSeen` passes `test` (20 s at most). */
async function waitForReplicasSeen(replica: Replica, test: (seen: number) => boolean): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const body = (await (await fetch(`${replica.url}/health/ready`)).json()) as {
      details?: { fleet?: { replicasLastSeen?: number } };
    };
    const seen = body.details?.fleet?.replicasLastSeen;
    if (seen !== undefined && test(seen)) return;
    if (Date.now() > deadline) throw new Error(`${replica.id} still sees ${seen} replicas`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

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
      const [first, second, third] = fleet.replicas;
      // Every replica has seen the whole fleet (a heartbeat after the last one registered), so the first one's
      // window holds a count of 3 from within the lease TTL: the precondition, waited for rather than assumed.
      for (const replica of fleet.replicas) await waitForReplicasSeen(replica, (seen) => seen === 3);
      // A reset of the heartbeats (as a restart or FLUSHALL does): the others' entries keep vanishing until the
      // first replica's latest heartbeat sees it alone, while the others register again; then Redis goes away.
      const redis = new Redis(fleet.redis.url);
      let alone = false;
      const resetting = (async () => {
        while (!alone) {
          await redis.zrem(new FleetKeys().heartbeats, second.id, third.id);
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      })();
      await waitForReplicasSeen(first, (seen) => seen === 1).finally(() => (alone = true));
      await resetting;
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
