import { expect } from '@jest/globals';
import { CallerQuotas } from './caller-quotas';

describe('CallerQuotas', () => {
  let now = 0;
  const quotas = (): CallerQuotas =>
    new CallerQuotas({
      requestsPerSecond: 2,
      requestBurst: 3,
      maxConcurrent: 2,
      maxSessions: 1,
      now: () => now,
    });
  beforeEach(() => (now = 1_000));

  it('gives each caller one request budget, with the time until the next token', () => {
    const q = quotas();
    expect([q.takeRequest('a').ok, q.takeRequest('a').ok, q.takeRequest('a').ok]).toEqual([true, true, true]);
    expect(q.takeRequest('a')).toMatchObject({ ok: false, retryAfterSeconds: 0.5 });
    expect(q.takeRequest('b').ok).toBe(true);
    now += 500;
    expect(q.takeRequest('a').ok).toBe(true);
  });

  it('caps work in flight per caller; a slot released twice counts once', () => {
    const q = quotas();
    const first = q.beginWork('a');
    const second = q.beginWork('a');
    expect(first.ok && second.ok).toBe(true);
    expect(q.beginWork('a')).toMatchObject({
      ok: false,
      message: expect.stringContaining('VOICE_MAX_CONCURRENT_PER_KEY'),
    });
    expect(q.beginWork('b').ok).toBe(true);
    if (!first.ok) throw new Error('unreachable');
    first.release();
    first.release();
    expect(q.workInProgress('a')).toBe(1);
    expect(q.beginWork('a').ok).toBe(true);
    expect(q.beginWork('a').ok).toBe(false);
  });

  it('caps open sessions per caller and forgets callers with nothing open', () => {
    const q = quotas();
    const session = q.openSession('a');
    expect(q.openSession('a')).toMatchObject({
      ok: false,
      message: expect.stringContaining('VOICE_MAX_SESSIONS_PER_KEY'),
    });
    if (!session.ok) throw new Error('unreachable');
    session.release();
    expect(q.openSessions('a')).toBe(0);
    expect(q.openSession('a').ok).toBe(true);
  });

  it('rejects caps below one', () => {
    expect(
      () => new CallerQuotas({ requestsPerSecond: 1, requestBurst: 1, maxConcurrent: 0, maxSessions: 1 }),
    ).toThrow(RangeError);
  });
});
