import { collectGarbage } from './collect-garbage';
import { SdkObjectCensus } from './sdk-object-census';

/** Made in a frame of its own, so nothing on the test's stack still points at what it does not keep. */
function trackSome(census: SdkObjectCensus): object {
  const kept = {};
  census.track('synthesizers', kept);
  census.track('connections', {});
  return kept;
}

/**
 * Collects until `done` holds (at most 20 rounds): a finalization callback runs in a task V8 posts after the
 * collection, which a busy machine can run a few loop turns later than an idle one.
 */
async function collectUntil(done: () => boolean): Promise<void> {
  for (let round = 0; round < 20 && !done(); round++) await collectGarbage();
}

describe('SdkObjectCensus', () => {
  it('counts objects as created and, once the collector reclaimed them, as collected', async () => {
    const census = new SdkObjectCensus();
    let kept: object | null = trackSome(census);
    expect(census.snapshot().synthesizers).toEqual({ created: 1, collected: 0, live: 1 });
    await collectUntil(() => census.snapshot().connections.collected === 1);
    expect(census.snapshot()).toEqual({
      synthesizers: { created: 1, collected: 0, live: 1 },
      recognizers: { created: 0, collected: 0, live: 0 },
      connections: { created: 1, collected: 1, live: 0 },
    });
    expect(kept).not.toBeNull();
    kept = null;
    await collectUntil(() => census.snapshot().synthesizers.collected === 1);
    expect(census.snapshot().synthesizers).toEqual({ created: 1, collected: 1, live: 0 });
  });
});
