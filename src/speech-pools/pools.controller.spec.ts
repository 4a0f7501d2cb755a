import { NotFoundException } from '@nestjs/common';
import { FakePool, fakePoolRegistry, poolSnapshot } from '../../test/support/pools/fake-pool';
import { PoolsController } from './pools.controller';

describe('PoolsController', () => {
  const controller = new PoolsController(
    fakePoolRegistry([new FakePool('tts', { inUse: 3 }), new FakePool('stt')]),
  );

  it('lists every pool snapshot by name', () => {
    expect(controller.list()).toEqual({
      pools: { tts: poolSnapshot('tts', { inUse: 3 }), stt: poolSnapshot('stt') },
    });
  });

  it('returns one snapshot', () => {
    expect(controller.get('stt')).toEqual(poolSnapshot('stt'));
  });

  it('throws NotFoundException naming the known pools for an unknown name', () => {
    expect(() => controller.get('nope')).toThrow(
      new NotFoundException('Unknown pool "nope"; known pools: tts, stt'),
    );
    expect(() => controller.get('__proto__')).toThrow(NotFoundException);
  });
});
