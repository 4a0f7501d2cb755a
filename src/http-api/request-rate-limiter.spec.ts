import { RequestRateLimiter } from './request-rate-limiter';

describe('RequestRateLimiter', () => {
  it('gives each caller its own burst, then refuses with the time until the next token', () => {
    let now = 0;
    const limiter = new RequestRateLimiter({ requestsPerSecond: 2, burst: 3, now: () => now });
    for (let i = 0; i < 3; i++) expect(limiter.take('key:a')).toEqual({ ok: true });
    expect(limiter.take('key:a')).toEqual({ ok: false, retryAfterSeconds: 0.5 });
    expect(limiter.take('key:b')).toEqual({ ok: true });
    now += 250;
    expect(limiter.take('key:a')).toEqual({ ok: false, retryAfterSeconds: 0.25 });
    now += 250;
    expect(limiter.take('key:a')).toEqual({ ok: true });
  });
});
