import { expect } from '@jest/globals';
import { SpeechError } from '../../speech/speech-error';
import type { SpeechTarget } from '../../speech/speech-target';
import { UpstreamSet } from './upstream-set';

const A: SpeechTarget = { kind: 'host', url: 'ws://a:1', key: 'secret-a' };
const B: SpeechTarget = { kind: 'host', url: 'ws://b:2', key: 'secret-b' };
const throttled = () => new SpeechError('UPSTREAM_THROTTLED', 'HTTP 429');

describe('UpstreamSet', () => {
  let now = 0;
  const set = () => new UpstreamSet([A, B], { threshold: 2, cooldownMs: 1_000, now: () => now });
  beforeEach(() => (now = 0));

  it('names upstreams by host or region, never by key', () => {
    expect(set().status()).toEqual([
      { name: 'a:1', state: 'closed', consecutiveFailures: 0 },
      { name: 'b:2', state: 'closed', consecutiveFailures: 0 },
    ]);
    expect(
      new UpstreamSet([{ kind: 'azure', region: 'westeurope', key: 'k' }], { threshold: 1, cooldownMs: 1 })
        .primary.name,
    ).toBe('westeurope');
  });

  it('falls through a refusing primary at once, opens its circuit after the threshold, probes it after the cool-down', async () => {
    const upstreams = set();
    let primaryRefuses = true;
    const make = (target: SpeechTarget) =>
      target === A && primaryRefuses ? Promise.reject(throttled()) : Promise.resolve(target);
    const tried: SpeechTarget[] = [];
    const recorded = (target: SpeechTarget) => (tried.push(target), make(target));

    for (let i = 0; i < 2; i++) expect((await upstreams.connect(recorded)).upstream.name).toBe('b:2');
    expect(tried).toEqual([A, B, A, B]);
    expect(upstreams.status()[0]).toMatchObject({ state: 'open', consecutiveFailures: 2 });
    const [primary, fallback] = upstreams.upstreams;
    expect(upstreams.isPreferred(fallback)).toBe(true);

    tried.length = 0;
    await upstreams.connect(recorded);
    expect(tried).toEqual([B]); // open: skipped

    now = 1_000; // half-open: one probe, which fails and re-opens it
    await upstreams.connect(recorded);
    expect(tried).toEqual([B, A, B]);
    expect(upstreams.status()[0]?.state).toBe('open');

    now = 2_000;
    primaryRefuses = false;
    await upstreams.probe(primary, make);
    expect(upstreams.status()[0]?.state).toBe('closed');
    expect(upstreams.isPreferred(fallback)).toBe(false);
    expect((await upstreams.connect(make)).upstream).toBe(primary);
  });

  it('does not fail over on a rejected credential', async () => {
    const upstreams = set();
    const denied = new SpeechError('UPSTREAM_UNAVAILABLE', '401', { upstreamAuth: true });
    await expect(upstreams.connect(() => Promise.reject(denied))).rejects.toBe(denied);
    expect(upstreams.status()[0]?.consecutiveFailures).toBe(0);
  });

  it('tries the primary when every circuit is open', async () => {
    const upstreams = set();
    for (let i = 0; i < 2; i++)
      await expect(upstreams.connect(() => Promise.reject(throttled()))).rejects.toThrow();
    expect(upstreams.status().map((s) => s.state)).toEqual(['open', 'open']);
    await expect(upstreams.connect((target) => Promise.resolve(target))).resolves.toMatchObject({
      client: A,
    });
  });
});
