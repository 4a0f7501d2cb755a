import * as pools from './index';

describe('pool library public API', () => {
  it('exports the runtime names of the published pool API', () => {
    expect(Object.keys(pools).sort()).toEqual(
      [
        'AllocationTier',
        'OnDemandResourcePool',
        'PoolClosedError',
        'PoolSessionReleasedError',
        'PoolTimeoutError',
        'WarmableResourcePool',
        'systemClock',
      ].sort(),
    );
    expect(pools.AllocationTier).toEqual({ DEDICATED: 'dedicated', WARM: 'warm', COLD: 'cold' });
  });
});
