import { TokenBucket } from './token-bucket';

describe('TokenBucket', () => {
  let now = 0;
  const clock = (): number => now;
  beforeEach(() => (now = 1_000));

  it('allows a burst up to capacity, then refuses', () => {
    const bucket = new TokenBucket({ capacity: 3, refillPerSecond: 1, now: clock });
    expect([bucket.tryTake(), bucket.tryTake(), bucket.tryTake(), bucket.tryTake()]).toEqual([
      true,
      true,
      true,
      false,
    ]);
  });

  it('refills at the sustained rate and never beyond capacity', () => {
    const bucket = new TokenBucket({ capacity: 2, refillPerSecond: 10, now: clock });
    bucket.tryTake(2);
    now += 100; // one token
    expect(bucket.tryTake()).toBe(true);
    expect(bucket.tryTake()).toBe(false);
    now += 60_000;
    expect(bucket.available).toBe(2);
  });

  it('takes all or nothing', () => {
    const bucket = new TokenBucket({ capacity: 5, refillPerSecond: 1, now: clock });
    expect(bucket.tryTake(6)).toBe(false);
    expect(bucket.available).toBe(5);
  });

  it('ignores a clock that goes backwards', () => {
    const bucket = new TokenBucket({ capacity: 1, refillPerSecond: 1, now: clock });
    bucket.tryTake();
    now -= 10_000;
    expect(bucket.tryTake()).toBe(false);
  });

  it('rejects nonsensical settings', () => {
    expect(() => new TokenBucket({ capacity: 0, refillPerSecond: 1 })).toThrow(RangeError);
    expect(() => new TokenBucket({ capacity: 1, refillPerSecond: Number.NaN })).toThrow(RangeError);
  });
});
