import { describeWithRedis } from '../support/redis-server';
import { recognise, request, synthesize, words } from '../voice-harness';
import { startLocalFleet, type LocalFleet } from './fleet-harness';

jest.setTimeout(240_000);

const FLEET_TTS = 6;
const FLEET_STT = 6;

describeWithRedis('a fleet of real service processes (e2e)', () => {
  let fleet: LocalFleet;

  beforeAll(async () => {
    fleet = await startLocalFleet(3, {
      SPEECH_FLEET_TTS_MAX_SIZE: String(FLEET_TTS),
      SPEECH_FLEET_STT_MAX_SIZE: String(FLEET_STT),
      SPEECH_POOL_WARM_SIZE: '2',
      SPEECH_POOL_ACQUIRE_TIMEOUT: '15',
      FLEET_LEASE_TTL: '3',
    });
  });
  afterAll(async () => {
    await fleet?.stop();
  });

  it('serves 60 concurrent sessions (TTS and STT) across 3 replicas within the fleet cap, with no upstream 429', async () => {
    await fleet.faults({ maxConnections: FLEET_TTS + FLEET_STT });
    const sessions = Array.from({ length: 60 }, async (_, i) => {
      const socket = fleet.connect(fleet.replicas[i % 3]);
      const text = `session ${i} says hello to the fleet`;
      const spoken = await synthesize(socket, { text, format: 'pcm-16k' });
      expect(spoken.ack).toMatchObject({ ok: true });
      const heard = await recognise(socket, spoken.audio, { sampleRate: 16000 });
      expect(heard.errors).toEqual([]);
      expect(heard.stop).toMatchObject({ ok: true });
      expect(words(heard.finals.map((f) => f.text).join(' '))).toBe(words(text));
      socket.disconnect();
    });
    const results = await Promise.allSettled(sessions);
    const failures = results.filter((r) => r.status === 'rejected');
    if (failures.length > 0) {
      throw new Error(
        `${failures.length} sessions failed; first: ${String((failures[0] as PromiseRejectedResult).reason)}\n` +
          fleet.replicas.map((r) => `--- ${r.id}\n${r.service.output().slice(-3000)}`).join('\n'),
      );
    }
    const stats = await fleet.stats();
    expect(stats.rejectedTotal).toBe(0);
    expect(stats.connectionsPeak).toBeLessThanOrEqual(FLEET_TTS + FLEET_STT);
    void request;
  });
});
