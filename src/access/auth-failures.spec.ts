import { expect } from '@jest/globals';
import { AuthFailures } from './auth-failures';

describe('AuthFailures', () => {
  let now = 0;
  let lines: string[];
  const failures = (maxAddresses?: number): AuthFailures =>
    new AuthFailures({
      burst: 2,
      perSecond: 1,
      logIntervalMs: 10_000,
      log: (line) => lines.push(line),
      maxAddresses,
      now: () => now,
    });

  beforeEach(() => {
    jest.useFakeTimers();
    now = 1_000;
    lines = [];
  });
  afterEach(() => jest.useRealTimers());

  it('throttles an address after its burst of failures, until a failure has been forgiven', () => {
    const f = failures();
    f.failed('10.0.0.1', 'invalid auth.token');
    expect(f.retryAfterSeconds('10.0.0.1')).toBe(0);
    f.failed('::ffff:10.0.0.1', 'invalid auth.token'); // the same address
    expect(f.retryAfterSeconds('10.0.0.1')).toBe(1);
    expect(f.retryAfterSeconds('10.0.0.2')).toBe(0);
    now += 1_000;
    expect(f.retryAfterSeconds('10.0.0.1')).toBe(0);
  });

  it('logs one line per interval with the counts, not a line per failure', () => {
    const f = failures();
    for (let i = 0; i < 50; i++) f.failed(`10.0.0.${i % 3}`, 'missing auth.token');
    f.throttled('10.0.0.1');
    expect(lines).toEqual([]);
    jest.advanceTimersByTime(10_000);
    expect(lines).toEqual([
      expect.stringMatching(
        /^50 failed authentication\(s\) and 1 attempt\(s\) refused .*10 s, from 3 address\(es\)/,
      ),
    ]);
    jest.advanceTimersByTime(60_000);
    expect(lines).toHaveLength(1); // nothing new: no line
    f.failed('10.0.0.9', 'invalid auth.token');
    f.flush();
    expect(lines).toHaveLength(2);
  });

  it('keeps a bounded number of addresses, forgetting recovered ones first', () => {
    const f = failures(2);
    f.failed('10.0.0.1', 'x');
    f.failed('10.0.0.1', 'x'); // throttled
    f.failed('10.0.0.2', 'x');
    now += 5_000; // both recover
    f.failed('10.0.0.1', 'x');
    f.failed('10.0.0.1', 'x'); // throttled again
    f.failed('10.0.0.3', 'x'); // room made by forgetting 10.0.0.2, which had recovered
    expect(f.retryAfterSeconds('10.0.0.1')).toBeGreaterThan(0);
  });
});
