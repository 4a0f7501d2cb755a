import { localShare } from './local-share';

describe('localShare', () => {
  it('splits the fleet cap equally among the replicas last seen, rounding down', () => {
    expect(localShare(12, 3)).toBe(4);
    expect(localShare(10, 3)).toBe(3);
    expect(localShare(6, 4)).toBe(1);
  });

  it('gives a lone replica the whole cap, and counts no replicas as one', () => {
    expect(localShare(8, 1)).toBe(8);
    expect(localShare(8, 0)).toBe(8);
  });

  it('never lets the shares add up to more than the cap', () => {
    for (let max = 1; max <= 40; max++) {
      for (let replicas = 1; replicas <= 12; replicas++) {
        expect(localShare(max, replicas) * replicas).toBeLessThanOrEqual(max);
      }
    }
  });
});
