import { AllocationTier } from '../pools/allocation-tier';
import type { ResourcePool } from '../pools/resource-pool';
import type { TtsClient } from '../speech/tts-client';
import { FakeResource, expectBooksBalanced } from '../../test/support/pools/fake-resources';
import { FakeClock } from '../../test/support/pools/fake-clock';
import { WarmableResourcePool } from '../pools/warmable-resource-pool';
import { WorkTracker } from '../lifecycle/work-tracker';
import { SessionSynthesizerLease } from './session-synthesizer-lease';

/** What the lease reads of a synthesizer besides the pool's hooks: whether a turn still runs upstream. */
class FakeSynthesizer extends FakeResource {
  busy = false;
}

/** A real pool of fake synthesizers at its cap (one), and one session leasing from it. */
function setup() {
  let made = 0;
  const clock = new FakeClock();
  const pool = new WarmableResourcePool<FakeSynthesizer>({
    name: 'tts',
    factory: () => Promise.resolve(new FakeSynthesizer(++made)),
    sessionAwareness: true,
    maxSize: 1,
    warmMaxSize: 1,
    clock,
  });
  const ttsPool = pool as unknown as ResourcePool<TtsClient>; // the lease reads only isReady() and busy
  const work = new WorkTracker();
  const lease = new SessionSynthesizerLease(ttsPool, 'session-1', (release) => work.track(release));
  return { pool, work, lease, signal: new AbortController().signal };
}

describe('SessionSynthesizerLease', () => {
  it('keeps the synthesizer after a completed turn, and lends it to a request waiting at the cap', async () => {
    const { pool, work, lease, signal } = setup();
    const first = await lease.acquire(signal);
    expect(first.tier).toBe(AllocationTier.COLD);
    lease.release(first.client, 'completed');
    await work.settled();

    const again = await lease.acquire(signal);
    expect(again).toEqual({ client: first.client, tier: AllocationTier.DEDICATED });
    lease.release(again.client, 'completed');
    await work.settled();

    // At the cap, another request reclaims the idle synthesizer at once; the session gets another one next time.
    const other = await pool.acquire({ timeoutMs: 0 });
    expect(other).toBe(first.client as unknown as FakeSynthesizer);
    await pool.release(other);
    expect((await lease.acquire(signal)).tier).toBe(AllocationTier.WARM);
    expectBooksBalanced(pool.snapshot());
  });

  it('releases a synthesizer whose turn failed or is still running upstream; the next request is not DEDICATED', async () => {
    const { pool, work, lease, signal } = setup();
    const failed = await lease.acquire(signal);
    lease.release(failed.client, 'failed');
    await work.settled();
    expect(pool.snapshot()).toMatchObject({ activeSessions: 0, inUse: 0 });

    const cut = await lease.acquire(signal);
    expect(cut.tier).toBe(AllocationTier.WARM);
    (cut.client as unknown as FakeSynthesizer).busy = true; // its cut turn still runs upstream
    lease.release(cut.client, 'aborted');
    await work.settled();
    expect(pool.snapshot()).toMatchObject({ activeSessions: 0, inUse: 0 });
    expectBooksBalanced(pool.snapshot());
  });
});
