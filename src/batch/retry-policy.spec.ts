import { parseRetryAfter, retryDelayMs } from './retry-policy';

describe('retry policy', () => {
  const policy = { baseDelayMs: 500, maxDelayMs: 30_000 };

  it('backs off exponentially with jitter in the upper half, up to the cap', () => {
    expect(retryDelayMs(1, undefined, policy, () => 0)).toBe(250);
    expect(retryDelayMs(1, undefined, policy, () => 1)).toBe(500);
    expect(retryDelayMs(3, undefined, policy, () => 0)).toBe(1000);
    expect(retryDelayMs(20, undefined, policy, () => 1)).toBe(30_000);
  });

  it("honours the server's Retry-After (capped)", () => {
    expect(retryDelayMs(1, 2_000, policy, () => 0)).toBe(2_000);
    expect(retryDelayMs(5, 120_000, policy, () => 0)).toBe(30_000);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:05 GMT', now)).toBe(5000);
  });
});
