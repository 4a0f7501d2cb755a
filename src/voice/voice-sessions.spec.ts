import type { ResourcePool } from '../pools/resource-pool';
import type { TtsClient } from '../speech/tts-client';
import { FakeClock } from '../../test/support/pools/fake-clock';
import { VoiceMetrics } from './voice-metrics';
import { resolveVoiceSettings } from './voice-options';
import { VoiceSessions } from './voice-sessions';

/** The part of the TTS pool VoiceSessions uses: session releases. */
class ReleaseRecordingPool {
  readonly released: Array<string | null> = [];

  releaseForSession(sessionId: string | null): Promise<boolean> {
    this.released.push(sessionId);
    return Promise.resolve(true);
  }
}

function setup() {
  const clock = new FakeClock();
  const pool = new ReleaseRecordingPool();
  const metrics = new VoiceMetrics();
  const sessions = new VoiceSessions(
    // Only the member above is used.
    pool as unknown as ResourcePool<TtsClient>,
    resolveVoiceSettings({ apiKeys: [], corsOrigins: [], sessionResumeGraceMs: 15_000 }),
    metrics,
    clock,
  );
  const holder = (connection: string) => sessions.attach(connection, 'loopback').session;
  return { clock, pool, sessions, holder, metrics };
}

describe('VoiceSessions', () => {
  it('ends a disconnected session after the grace on the injected clock, releasing its synthesizer', () => {
    const { clock, pool, sessions, holder } = setup();
    const session = holder('c1');
    expect(sessions.detach(session, 'c1')).toBe(true);
    clock.advance(14_999);
    expect(sessions.size).toBe(1);
    clock.advance(1);
    expect(sessions.size).toBe(0);
    expect(pool.released).toEqual([session.id]);
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
  });
});
