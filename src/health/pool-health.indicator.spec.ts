import { expect } from '@jest/globals';
import { HealthIndicatorService } from '@nestjs/terminus';
import { FakePool, fakePoolRegistry } from '../../test/support/pools/fake-pool';
import { ShutdownState } from '../lifecycle/shutdown-state';
import { PoolHealthIndicator } from './pool-health.indicator';

describe('PoolHealthIndicator', () => {
  function setUp(pools = [new FakePool('tts'), new FakePool('stt')]) {
    const shutdown = new ShutdownState();
    const indicator = new PoolHealthIndicator(
      new HealthIndicatorService(),
      shutdown,
      fakePoolRegistry(pools),
    );
    const run = () => Promise.all(indicator.checks().map((check) => Promise.resolve(check())));
    return { shutdown, run, pools };
  }

  it('reports each pool up with its warm and factory details', async () => {
    const { run } = setUp();
    expect(await run()).toEqual([
      {
        tts: {
          status: 'up',
          ready: true,
          warmPoolSize: 2,
          warmPoolTarget: 2,
          size: 2,
          maxSize: 64,
          inUse: 0,
          pendingAcquires: 0,
          factory: { consecutiveFailures: 0, backoffRemainingMs: 0, lastError: null },
        },
      },
      { stt: expect.objectContaining({ status: 'up' }) },
    ]);
  });

  it('reports a pool down with the factory failure as the reason', async () => {
    const stt = new FakePool('stt', {
      ready: false,
      factory: { consecutiveFailures: 3, backoffRemainingMs: 4000, lastError: 'connect ECONNREFUSED' },
    });
    const { run } = setUp([new FakePool('tts'), stt]);
    const [tts, sttResult] = await run();
    expect(tts).toEqual({ tts: expect.objectContaining({ status: 'up' }) });
    expect(sttResult).toEqual({
      stt: expect.objectContaining({
        status: 'down',
        reason: 'cannot create clients (3 failures in a row: connect ECONNREFUSED)',
      }),
    });
  });

  it('reports a pool that is merely not prepared', async () => {
    const { run } = setUp([new FakePool('tts', { ready: false })]);
    expect(await run()).toEqual([
      { tts: expect.objectContaining({ status: 'down', reason: expect.stringMatching(/^not ready/) }) },
    ]);
  });

  it('reports every pool down once shutdown has begun', async () => {
    const { run, shutdown } = setUp();
    shutdown.begin('SIGTERM');
    expect(await run()).toEqual([
      { tts: expect.objectContaining({ status: 'down', reason: 'shutting down' }) },
      { stt: expect.objectContaining({ status: 'down', reason: 'shutting down' }) },
    ]);
  });

  it('reports a pool whose snapshot throws as down', async () => {
    const tts = new FakePool('tts');
    jest.spyOn(tts, 'snapshot').mockImplementation(() => {
      throw new Error('boom');
    });
    const { run } = setUp([tts]);
    expect(await run()).toEqual([{ tts: { status: 'down', reason: 'snapshot failed: boom' } }]);
  });

  it('is not ready without any pool', async () => {
    const { run } = setUp([]);
    expect(await run()).toEqual([{ pools: { status: 'down', reason: 'no pools registered' } }]);
  });
});
