import type { WarmableResourcePoolOptions } from '../../../src/pools/pool-options';
import { WarmableResourcePool } from '../../../src/pools/warmable-resource-pool';
import { FakeClock } from './fake-clock';
import { EventLog, FakeFactory, type FakeResource } from './fake-resources';

export type FakePoolOptions = Partial<WarmableResourcePoolOptions<FakeResource>>;

/** A pool on a fake clock and fake factory, with backoff jitter off so delays are exact. */
export function poolFixture(overrides: FakePoolOptions = {}) {
  const clock = new FakeClock();
  const factory = new FakeFactory();
  const log = new EventLog();
  const pool = new WarmableResourcePool<FakeResource>({
    name: 'tts',
    factory: factory.create,
    clock,
    observer: log.observer,
    factoryBackoff: { jitter: 0 },
    ...overrides,
  });
  return { clock, factory, log, pool };
}
