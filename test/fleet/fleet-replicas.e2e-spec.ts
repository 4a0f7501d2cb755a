import { VoiceError, type SynthesisResult, type VoiceClient } from '../../src/client';
import type { SessionReady } from '../../src/protocol';
import { freePort, spawnService } from '../support/process/service-process';
import { describeWithRedis } from '../support/fleet/redis-server';
import { recognise, synthesize, words } from '../support/app/voice-harness';
import {
  FLEET_API_KEYS,
  OPERATOR_HEADERS,
  startLocalFleet,
  type LocalFleet,
  type Replica,
} from '../support/fleet/fleet-harness';

jest.setTimeout(240_000);

const FLEET_TTS = 6;
const FLEET_STT = 6;
const LEASE_TTL_S = 3;
const HEARTBEAT_MS = 1_000;

interface FleetView {
  replicas: Array<{ id: string; ready: boolean; pools: Record<string, { size: number }> }>;
  budget: Record<'tts' | 'stt', { max: number | null; leased: number }>;
  redis: 'ok' | 'degraded';
}

const fleetView = async (replica: Replica): Promise<FleetView> =>
  (await (await fetch(`${replica.url}/api/v1/fleet`, { headers: OPERATOR_HEADERS })).json()) as FleetView;

async function until<T>(read: () => Promise<T>, accept: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}; last: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** One voice session: a synthesis, then the recognition of its own audio (the emulator's round trip). */
async function speakAndHear(client: VoiceClient, text: string): Promise<void> {
  const spoken = await synthesize(client, { text, format: 'pcm-16k' });
  const heard = await recognise(client, spoken.audio, { sampleRate: 16000 });
  if (heard.errors.length > 0) throw new Error(`recognition failed: ${JSON.stringify(heard.errors)}`);
  expect(words(heard.finals.map((f) => f.text).join(' '))).toBe(words(text));
}

/** The live clients of the replicas' pools, as they report them. */
async function liveClients(fleet: LocalFleet, replicas: Replica[]): Promise<Record<'tts' | 'stt', number>> {
  const totals = { tts: 0, stt: 0 };
  for (const replica of replicas) {
    const body = (await (
      await fetch(`${replica.url}/api/v1/pools`, { headers: OPERATOR_HEADERS })
    ).json()) as {
      pools: Record<'tts' | 'stt', { size: number }>;
    };
    totals.tts += body.pools.tts.size;
    totals.stt += body.pools.stt.size;
  }
  void fleet;
  return totals;
}

function failuresReport(fleet: LocalFleet, results: PromiseSettledResult<unknown>[]): string {
  const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failures.length === 0) return '';
  return (
    `${failures.length} sessions failed; first: ${String(failures[0].reason)}\n` +
    fleet.replicas.map((r) => `--- ${r.id}\n${r.service.output().slice(-2000)}`).join('\n')
  );
}

/**
 * A client that follows docs/protocol.md for fleet mode: on `session.moving` it resumes its session on a new
 * connection (to another replica; a load balancer would choose one, here the test does) and sends new requests
 * there; a request answered SHUTTING_DOWN, or left unanswered when the old connection closed, is sent again.
 */
class MovingClient {
  client!: VoiceClient;
  sessionId = '';
  readonly resumes: SessionReady[] = [];
  readonly log: string[] = [];
  private moving: Promise<void> | null = null;

  constructor(
    private readonly fleet: LocalFleet,
    private readonly first: Replica,
    private readonly next: Replica,
  ) {}

  async start(): Promise<void> {
    this.client = this.fleet.connect(this.first, { followMoves: false });
    this.sessionId = (await this.client.ready()).sessionId;
    this.client.on('moving', () => void this.move());
  }

  move(): Promise<void> {
    this.moving ??= this.client.move(this.next.url).then((session) => void this.resumes.push(session));
    return this.moving;
  }

  async synthesize(text: string): Promise<SynthesisResult> {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        return await this.client.synthesize({ text });
      } catch (error) {
        if (!(error instanceof VoiceError)) throw error;
        this.log.push(`attempt ${attempt}: ${error.code} ${error.message}`);
        // Not served: the old connection closed before answering, or the replica was already stopping.
        if (error.code === 'DISCONNECTED' || error.code === 'SHUTTING_DOWN') {
          await this.move();
          continue;
        }
        throw error;
      }
    }
    throw new Error('request not served after moving');
  }
}

/** The replica's `warmline_voice_sessions_ended_total`, by reason. */
async function sessionsEnded(replica: Replica): Promise<{ moved: number }> {
  const text = await (await fetch(`${replica.url}/metrics`, { headers: OPERATOR_HEADERS })).text();
  const count = (reason: string): number => {
    const line = text
      .split('\n')
      .find((l) => l.startsWith(`warmline_voice_sessions_ended_total{reason="${reason}"}`));
    if (line === undefined) throw new Error(`no sessions_ended series for ${reason}`);
    return Number(line.split(' ').pop());
  };
  return { moved: count('moved') };
}

describeWithRedis('a fleet of real service processes (e2e)', () => {
  let fleet: LocalFleet;

  beforeAll(async () => {
    fleet = await startLocalFleet(3, {
      SPEECH_FLEET_TTS_MAX_SIZE: String(FLEET_TTS),
      SPEECH_FLEET_STT_MAX_SIZE: String(FLEET_STT),
      SPEECH_POOL_WARM_SIZE: '2',
      SPEECH_POOL_ACQUIRE_TIMEOUT: '15',
      FLEET_LEASE_TTL: String(LEASE_TTL_S),
      SESSION_RESUME_GRACE: '10',
    });
  });
  afterAll(async () => {
    await fleet?.stop();
  });

  it('serves 60 concurrent sessions (TTS and STT) across 3 replicas within the fleet cap, with no upstream 429', async () => {
    await fleet.faults({ maxConnections: FLEET_TTS + FLEET_STT });
    const results = await Promise.allSettled(
      Array.from({ length: 60 }, async (_, i) => {
        const client = fleet.connect(fleet.replicas[i % 3]);
        await speakAndHear(client, `session ${i} says hello to the fleet`);
        client.close();
      }),
    );
    expect(failuresReport(fleet, results)).toBe('');
    const stats = await fleet.stats();
    expect(stats.rejectedTotal).toBe(0);
    expect(stats.connectionsPeak).toBeLessThanOrEqual(FLEET_TTS + FLEET_STT);
  });

  it('serves a burst of 10 sessions on one replica while the others hold the leases as warm clients', async () => {
    // Let the fleet settle: every lease taken by warm clients, spread over the replicas.
    await until(
      () => fleetView(fleet.replicas[0]),
      (v) => v.budget.tts.leased === FLEET_TTS && v.budget.stt.leased === FLEET_STT,
      'leases all taken by warm clients',
    );
    await fleet.faults({ maxConnections: FLEET_TTS + FLEET_STT });
    const burst = fleet.replicas[0];
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, async (_, i) => {
        const client = fleet.connect(burst);
        await speakAndHear(client, `burst session ${i} on one replica`);
        client.close();
      }),
    );
    expect(failuresReport(fleet, results)).toBe('');
    const stats = await fleet.stats();
    expect(stats.rejectedTotal).toBe(0);
    expect(stats.connectionsPeak).toBeLessThanOrEqual(FLEET_TTS + FLEET_STT);
  });

  it('keeps serving while Redis is down (readiness 200, fleet degraded) and agrees on the books once it is back', async () => {
    await fleet.faults({});
    let stopped = false;
    const load = Promise.allSettled(
      Array.from({ length: 30 }, async (_, i) => {
        const client = fleet.connect(fleet.replicas[i % 3]);
        for (let turn = 0; turn < 3; turn++) {
          await speakAndHear(client, `turn ${turn} of session ${i} while redis blinks`);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        client.close();
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    await fleet.redis.stop();
    stopped = true;
    for (const replica of fleet.replicas) {
      const readiness = await until(
        async () => {
          const response = await fetch(`${replica.url}/health/ready`);
          return {
            status: response.status,
            body: (await response.json()) as { info?: Record<string, unknown> },
          };
        },
        (r) => (r.body.info?.fleet as { redis?: string } | undefined)?.redis === 'degraded',
        `${replica.id} reporting the fleet degraded`,
      );
      expect(readiness.status).toBe(200);
    }
    const results = await load;
    expect(failuresReport(fleet, results)).toBe('');
    expect(stopped).toBe(true);

    await fleet.redis.start();
    await until(
      async () => ({
        view: await fleetView(fleet.replicas[0]),
        live: await liveClients(fleet, fleet.replicas),
      }),
      ({ view, live }) =>
        view.redis === 'ok' && view.budget.tts.leased === live.tts && view.budget.stt.leased === live.stt,
      'the fleet budget to equal the live clients again',
    );
  });

  it('resumes a session on another replica (WARM there; the old replica lets go at once), never with another key', async () => {
    const [first, second, third] = fleet.replicas;
    const original = fleet.connect(first);
    const { sessionId } = await original.ready();
    expect((await synthesize(original, { text: 'before moving' })).ack).toMatchObject({ ok: true });
    const poolsOf = async (replica: Replica) =>
      (
        (await (await fetch(`${replica.url}/api/v1/pools`, { headers: OPERATOR_HEADERS })).json()) as {
          pools: Record<'tts', { activeSessions: number; warmPoolSize: number }>;
        }
      ).pools;
    expect((await poolsOf(first)).tts.activeSessions).toBeGreaterThan(0);
    const endedBefore = await sessionsEnded(first);
    original.close();
    await until(
      () => poolsOf(second),
      (p) => p.tts.warmPoolSize > 0,
      'a warm synthesizer on the second replica',
    );

    const resumed = fleet.connect(second, { sessionId });
    expect(await resumed.ready()).toEqual({ sessionId, resumed: true });
    expect((await synthesize(resumed, { text: 'after moving' })).ack).toMatchObject({
      ok: true,
      tier: 'warm',
    });
    // The first replica released the session's synthesizer because it moved, not because its grace ran out.
    await until(
      () => poolsOf(first),
      (p) => p.tts.activeSessions === 0,
      'the first replica letting go',
    );
    const endedAfter = await sessionsEnded(first);
    expect(endedAfter.moved - endedBefore.moved).toBe(1);

    const stranger = fleet.connect(third, { token: FLEET_API_KEYS[1], sessionId });
    const strangers = await stranger.ready();
    expect(strangers.resumed).toBe(false);
    expect(strangers.sessionId).not.toBe(sessionId);
    expect((await synthesize(resumed, { text: 'still mine' })).ack).toMatchObject({
      ok: true,
      tier: 'dedicated',
    });
    for (const client of [resumed, stranger]) client.close();
  });

  it('moves the sessions of a replica stopped with SIGTERM to the others, losing no request', async () => {
    await fleet.faults({});
    const [survivor, leaving, other] = fleet.replicas;
    const clients = Array.from(
      { length: 6 },
      (_, i) => new MovingClient(fleet, leaving, i % 2 ? survivor : other),
    );
    await Promise.all(clients.map((c) => c.start()));
    const acks: SynthesisResult[] = [];
    const work = Promise.all(
      clients.map(async (client, i) => {
        for (let turn = 0; turn < 8; turn++) {
          acks.push(await client.synthesize(`turn ${turn} of moving session ${i}`));
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }),
    );
    await until(
      () => Promise.resolve(acks.length),
      (n) => n >= 12,
      'work under way',
    );
    leaving.service.child.kill('SIGTERM');
    await work.catch((error: unknown) => {
      throw new Error(
        `${String(error)}; what the clients saw:\n${clients.map((c) => c.log.join('\n')).join('\n---\n')}`,
      );
    });
    expect(acks).toHaveLength(6 * 8);
    expect(await leaving.service.exited).toBe(0);
    for (const client of clients) {
      expect(client.resumes).toEqual([{ sessionId: client.sessionId, resumed: true }]);
    }
    fleet.replicas.splice(fleet.replicas.indexOf(leaving), 1);
  });

  it('frees the leases of a replica killed with SIGKILL within the lease TTL and a heartbeat; the others go on', async () => {
    const victim = fleet.replicas[fleet.replicas.length - 1];
    const survivors = fleet.replicas.filter((r) => r !== victim);
    victim.service.child.kill('SIGKILL');
    const killedAt = Date.now();
    await victim.service.exited;
    const { askedAt } = await until(
      async () => ({
        // When this probe asked, not when its answers arrived: a loaded machine's slow polling is not the fleet's.
        askedAt: Date.now(),
        view: await fleetView(survivors[0]),
        live: await liveClients(fleet, survivors),
      }),
      ({ view, live }) =>
        !view.replicas.some((r) => r.id === victim.id) &&
        view.budget.tts.leased <= live.tts &&
        view.budget.stt.leased <= live.stt,
      'the killed replica gone from the budget',
    );
    // Expiry is Redis' clock; a little slack for the replicas' own heartbeats.
    expect(askedAt - killedAt).toBeLessThan(LEASE_TTL_S * 1000 + HEARTBEAT_MS + 1_500);

    await fleet.faults({ maxConnections: FLEET_TTS + FLEET_STT });
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, async (_, i) => {
        const client = fleet.connect(survivors[i % survivors.length]);
        await speakAndHear(client, `after the crash session ${i}`);
        client.close();
      }),
    );
    expect(failuresReport(fleet, results)).toBe('');
    expect((await fleet.stats()).rejectedTotal).toBe(0);
  });
});

describeWithRedis('fleet mode start-up with a bad REDIS_URL (e2e)', () => {
  it.each([
    [
      'unreachable',
      'redis://user:hunter2@127.0.0.1:1',
      /cannot reach Redis at redis:\/\/\*\*\*:\*\*\*@127\.0\.0\.1:1/,
    ],
    ['malformed', 'redis//nowhere', /REDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL/],
  ])('stops an %s one with a clear error instead of hanging', async (_kind, url, message) => {
    const port = await freePort();
    const service = spawnService({
      PORT: String(port),
      REDIS_URL: url,
      SPEECH_EMULATOR: 'on',
      LOG_LEVEL: 'info',
    });
    const deadline = setTimeout(() => service.child.kill('SIGKILL'), 60_000);
    const code = await service.exited;
    clearTimeout(deadline);
    expect(code).not.toBe(0);
    expect(code).not.toBeNull(); // exited on its own, not killed at the deadline
    expect(service.output()).toMatch(message);
    expect(service.output()).not.toContain('hunter2');
  });
});
