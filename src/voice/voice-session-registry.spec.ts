import { FakeClock } from '../../test/support/pools/fake-clock';
import { VoiceSessionRegistry } from './voice-session-registry';

interface TestSession {
  id: string;
  principal: string;
}

describe('VoiceSessionRegistry', () => {
  let expired: string[];
  let reasons: string[];
  let ids: number;
  let registry: VoiceSessionRegistry<TestSession>;
  let clock: FakeClock;

  beforeEach(() => {
    clock = new FakeClock();
    expired = [];
    reasons = [];
    ids = 0;
    registry = new VoiceSessionRegistry<TestSession>({
      graceMs: 15_000,
      create: (id, principal) => ({ id, principal }),
      onExpired: (session, _id, reason) => {
        expired.push(session.id);
        reasons.push(reason);
      },
      newId: () => `s${++ids}`,
      clock,
    });
  });

  afterEach(() => {
    registry.expireAll();
    expect(clock.pendingTimers).toBe(0);
  });

  it('issues a new session on connect', () => {
    const a = registry.attach('c1', 'k1');
    expect(a).toMatchObject({ sessionId: 's1', resumed: false, displaced: null, session: { id: 's1' } });
    expect(registry.connectedCount).toBe(1);
  });

  it('resumes the same session within the grace and stops the timer', () => {
    const first = registry.attach('c1', 'k1');
    expect(registry.detach('s1', 'c1')).toBe(true);
    expect(registry.connectedCount).toBe(0);
    expect(clock.pendingDelays()).toEqual([15_000]);
    clock.advance(14_999);
    const again = registry.attach('c2', 'k1', 's1');
    expect(again).toMatchObject({ sessionId: 's1', resumed: true, displaced: null });
    expect(again.session).toBe(first.session);
    clock.advance(60_000);
    expect(expired).toEqual([]);
    expect(registry.size).toBe(1);
  });

  it('expires a session exactly when the grace ends', () => {
    registry.attach('c1', 'k1');
    registry.detach('s1', 'c1');
    clock.advance(14_999);
    expect(expired).toEqual([]);
    clock.advance(1);
    expect(expired).toEqual(['s1']);
    expect(registry.get('s1')).toBeUndefined();
    expect(registry.attach('c2', 'k1', 's1')).toMatchObject({ sessionId: 's2', resumed: false });
  });

  it('says why each session ended: grace ran out, moved to another replica, or shutdown', () => {
    registry.attach('c1', 'k1');
    registry.attach('c2', 'k1');
    registry.attach('c3', 'k1');
    registry.detach('s1', 'c1');
    clock.advance(15_000);
    expect(registry.end('s2')).toBe('c2');
    registry.expireAll();
    expect(expired).toEqual(['s1', 's2', 's3']);
    expect(reasons).toEqual(['expired', 'moved', 'shutdown']);
  });

  it('restarts the grace on each disconnect', () => {
    registry.attach('c1', 'k1');
    registry.detach('s1', 'c1');
    clock.advance(10_000);
    registry.attach('c2', 'k1', 's1');
    registry.detach('s1', 'c2');
    clock.advance(10_000);
    expect(expired).toEqual([]);
    clock.advance(5_000);
    expect(expired).toEqual(['s1']);
  });

  it('gives another principal a new session instead of the requested one', () => {
    registry.attach('c1', 'k1');
    registry.detach('s1', 'c1');
    const other = registry.attach('c2', 'k2', 's1');
    expect(other).toMatchObject({ sessionId: 's2', resumed: false, session: { principal: 'k2' } });
    // The original session is untouched and still resumable by its owner.
    expect(registry.attach('c3', 'k1', 's1')).toMatchObject({ sessionId: 's1', resumed: true });
  });

  it('gives an unknown id a new session', () => {
    expect(registry.attach('c1', 'k1', 'nope')).toMatchObject({ sessionId: 's1', resumed: false });
  });

  it('lets the same principal take over a session still held by a stale connection', () => {
    registry.attach('c1', 'k1');
    const takeover = registry.attach('c2', 'k1', 's1');
    expect(takeover).toMatchObject({ sessionId: 's1', resumed: true, displaced: 'c1' });
    // The stale connection's late disconnect does not start a grace for the session now held by c2.
    expect(registry.detach('s1', 'c1')).toBe(false);
    clock.advance(60_000);
    expect(expired).toEqual([]);
    expect(registry.connectedCount).toBe(1);
    expect(clock.pendingTimers).toBe(0);
  });

  it('never issues an id twice', () => {
    const dup = new VoiceSessionRegistry<TestSession>({
      graceMs: 1,
      create: (id, principal) => ({ id, principal }),
      onExpired: () => undefined,
      newId: (() => {
        const seq = ['same', 'same', 'other'];
        return () => seq.shift() ?? 'last';
      })(),
    });
    expect(dup.attach('c1', 'k').sessionId).toBe('same');
    expect(dup.attach('c2', 'k').sessionId).toBe('other');
    dup.expireAll();
  });

  it('expireAll ends every session, connected or in grace, and cancels their timers', () => {
    registry.attach('c1', 'k1');
    registry.attach('c2', 'k1');
    registry.detach('s2', 'c2');
    registry.expireAll();
    expect(expired.sort()).toEqual(['s1', 's2']);
    expect(registry.size).toBe(0);
    clock.advance(60_000);
    expect(expired).toHaveLength(2);
  });
});
