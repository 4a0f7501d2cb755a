import { collectGarbage } from '../debug/collect-garbage';
import { SdkObjectCensus } from './sdk-object-census';

/** Made in a frame of its own, so nothing on the test's stack still points at what it does not keep. */
function trackSome(census: SdkObjectCensus): object {
  const kept = {};
  census.track('synthesizers', kept);
  census.track('connections', {});
  return kept;
}

describe('SdkObjectCensus', () => {
  it('counts objects as created and, once the collector reclaimed them, as collected', async () => {
    const census = new SdkObjectCensus();
    let kept: object | null = trackSome(census);
    expect(census.snapshot().synthesizers).toEqual({ created: 1, collected: 0, live: 1 });
    await collectGarbage();
    expect(census.snapshot()).toEqual({
      synthesizers: { created: 1, collected: 0, live: 1 },
      recognizers: { created: 0, collected: 0, live: 0 },
      connections: { created: 1, collected: 1, live: 0 },
    });
    expect(kept).not.toBeNull();
    kept = null;
    await collectGarbage();
    expect(census.snapshot().synthesizers).toEqual({ created: 1, collected: 1, live: 0 });
  });
});
