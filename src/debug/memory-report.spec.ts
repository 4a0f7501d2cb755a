import { FakePool, fakePoolRegistry } from '../testing/fake-pool';
import { memoryReport } from './memory-report';

describe('memoryReport', () => {
  it('combines process memory with each pool’s created/destroyed books', () => {
    const usage = { rss: 100, heapTotal: 80, heapUsed: 60, external: 10, arrayBuffers: 5 };
    const pools = fakePoolRegistry([
      new FakePool('tts', { metrics: { resourcesCreated: 9, resourcesDestroyed: 2 } }),
      new FakePool('stt', { metrics: { resourcesCreated: 4, resourcesDestroyed: 4 } }),
    ]);
    expect(memoryReport(usage, pools)).toEqual({
      memory: usage,
      pools: { tts: { created: 9, destroyed: 2, live: 7 }, stt: { created: 4, destroyed: 4, live: 0 } },
    });
  });
});
