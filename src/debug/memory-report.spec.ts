import { FakePool, fakePoolRegistry } from '../../test/support/pools/fake-pool';
import { memoryReport } from './memory-report';

describe('memoryReport', () => {
  it('combines process memory with each pool’s created/destroyed books and the live SDK objects', () => {
    const usage = { rss: 100, heapTotal: 80, heapUsed: 60, external: 10, arrayBuffers: 5 };
    const pools = fakePoolRegistry([
      new FakePool('tts', { metrics: { resourcesCreated: 9, resourcesDestroyed: 2 } }),
      new FakePool('stt', { metrics: { resourcesCreated: 4, resourcesDestroyed: 4 } }),
    ]);
    const sdkObjects = {
      synthesizers: { created: 9, collected: 1, live: 8 },
      recognizers: { created: 4, collected: 4, live: 0 },
      connections: { created: 13, collected: 5, live: 8 },
    };
    expect(memoryReport(usage, pools, sdkObjects, true)).toEqual({
      gc: true,
      memory: usage,
      pools: { tts: { created: 9, destroyed: 2, live: 7 }, stt: { created: 4, destroyed: 4, live: 0 } },
      sdkObjects,
    });
  });
});
