import type { PoolsModuleOptions } from '../speech-pools/pools-module-options';
import type { PoolEvent } from '../pools/pool-observer';
import type { ResourcePool } from '../pools/resource-pool';
import type { TtsClient } from '../speech/tts-client';
import { FakeClock, flushPromises } from '../../test/support/pools/fake-clock';
import { poolSnapshot } from '../../test/support/pools/fake-pool';
import { VoiceMetrics } from './voice-metrics';
import { resolveVoiceSettings } from './voice-options';
import { VoiceSessions } from './voice-sessions';

/** The parts of the TTS pool VoiceSessions uses: events, session releases, the waiting count. */
class ReleaseRecordingPool {
  readonly released: Array<string | null> = [];
  pendingAcquires = 0;
  private listener: ((event: PoolEvent) => void) | null = null;

  onEvent(listener: (event: PoolEvent) => void): () => void {
    this.listener = listener;
    return () => (this.listener = null);
  }

  releaseForSession(sessionId: string | null): Promise<boolean> {
    this.released.push(sessionId);
    return Promise.resolve(true);
  }

  snapshot() {
    return poolSnapshot('tts', { pendingAcquires: this.pendingAcquires });
  }

  /** What the pool does when an acquire starts waiting at its cap. */
  waiterQueued(): void {
    this.pendingAcquires++;
    this.listener?.({ kind: 'waiter-queued', waiting: this.pendingAcquires });
  }

  get listening(): boolean {
    return this.listener !== null;
  }
}

const MAX_IDLE_MS = 240_000;

function setup() {
  const clock = new FakeClock();
  const pool = new ReleaseRecordingPool();
  const metrics = new VoiceMetrics();
  const sessions = new VoiceSessions(
    // Only the members above are used.
    pool as unknown as ResourcePool<TtsClient>,
    resolveVoiceSettings({ apiKeys: [], corsOrigins: [], sessionResumeGraceMs: 15_000 }),
    { maxIdleMs: MAX_IDLE_MS } as PoolsModuleOptions,
    metrics,
    clock,
  );
  /** A connected session that has finished one synthesis and kept its synthesizer. */
  const holder = (connection: string) => {
    const { session } = sessions.attach(connection, 'loopback');
    sessions.synthesisStarted(session);
    sessions.synthesisEnded(session, true);
    return session;
  };
  return { clock, pool, sessions, holder, metrics };
}

describe('VoiceSessions', () => {
  it('hands back a synthesizer its session has not used for SPEECH_POOL_MAX_IDLE, and no other', async () => {
    const { clock, pool, sessions, holder } = setup();
    const old = holder('c1');
    clock.advance(100_000);
    const recent = holder('c2');
    clock.advance(MAX_IDLE_MS - 100_000 - 1);
    expect(pool.released).toEqual([]);
    // The sweep runs every quarter of the idle limit: the first one after the limit passed releases it.
    clock.advance(60_000 + 1);
    expect(pool.released).toEqual([old.id]);
    expect(sessions.idleSynthesizers).toBe(1);
    clock.advance(100_000);
    expect(pool.released).toEqual([old.id, recent.id]);
    await sessions.settled();
    sessions.onModuleDestroy();
    expect(clock.pendingTimers).toBe(0);
    expect(pool.listening).toBe(false);
  });

  it('does not count time a session spends synthesizing as idle', () => {
    const { clock, pool, sessions, holder } = setup();
    const busy = holder('c1');
    sessions.synthesisStarted(busy);
    clock.advance(MAX_IDLE_MS * 2);
    expect(pool.released).toEqual([]);
    sessions.synthesisEnded(busy, true);
    clock.advance(MAX_IDLE_MS - 1);
    expect(pool.released).toEqual([]);
    clock.advance(60_000);
    expect(pool.released).toEqual([busy.id]);
    sessions.onModuleDestroy();
  });

  it('serves a request waiting at the cap with the least recently used idle synthesizer, at once', async () => {
    const { clock, pool, sessions, holder } = setup();
    const first = holder('c1');
    clock.advance(10);
    holder('c2');
    pool.waiterQueued();
    expect(pool.released).toEqual([]); // not from inside the pool's own acquire
    await flushPromises();
    expect(pool.released).toEqual([first.id]);
    expect(sessions.idleSynthesizers).toBe(1);
    sessions.onModuleDestroy();
  });

  it('with no idle synthesizer, the next session to finish hands its synthesizer to the waiter', async () => {
    const { pool, sessions } = setup();
    const { session } = sessions.attach('c1', 'loopback');
    sessions.synthesisStarted(session);
    pool.waiterQueued();
    await flushPromises();
    expect(pool.released).toEqual([]);
    sessions.synthesisEnded(session, true);
    expect(pool.released).toEqual([session.id]);
    expect(sessions.idleSynthesizers).toBe(0);
    // The waiter was served: the following session keeps its synthesizer again.
    pool.pendingAcquires = 0;
    const { session: next } = sessions.attach('c2', 'loopback');
    sessions.synthesisStarted(next);
    sessions.synthesisEnded(next, true);
    expect(pool.released).toEqual([session.id]);
    expect(sessions.idleSynthesizers).toBe(1);
    sessions.onModuleDestroy();
  });

  it('ends a disconnected session after the grace on the injected clock, releasing its synthesizer', () => {
    const { clock, pool, sessions, holder } = setup();
    const session = holder('c1');
    expect(sessions.detach(session, 'c1')).toBe(true);
    clock.advance(14_999);
    expect(sessions.size).toBe(1);
    clock.advance(1);
    expect(sessions.size).toBe(0);
    expect(pool.released).toEqual([session.id]);
    expect(sessions.idleSynthesizers).toBe(0);
    sessions.onModuleDestroy();
  });

  it('counts how sessions end: grace ran out, moved to another replica, shutdown', async () => {
    const { clock, sessions, holder, metrics } = setup();
    const ended = async () =>
      Object.fromEntries(
        (await metrics.registry.getSingleMetric('warmline_voice_sessions_ended_total')!.get()).values.map(
          (v) => [String(v.labels.reason), v.value] as const,
        ),
      );
    expect(await ended()).toEqual({ expired: 0, moved: 0, shutdown: 0 });
    const gone = holder('c1');
    const moving = holder('c2');
    holder('c3');
    sessions.detach(gone, 'c1');
    clock.advance(15_000);
    expect(sessions.movedAway(moving.id)).toBe('c2');
    await sessions.closeAll();
    expect(await ended()).toEqual({ expired: 1, moved: 1, shutdown: 1 });
    sessions.onModuleDestroy();
  });
});
