import { FifoQueue } from './fifo-queue';

interface Entry {
  n: number;
  live: boolean;
}

describe('FifoQueue', () => {
  const queue = () => new FifoQueue<Entry>((e) => e.live);
  const entries = (count: number): Entry[] => Array.from({ length: count }, (_, n) => ({ n, live: true }));

  it('returns entries in insertion order and skips the ones marked dead', () => {
    const q = queue();
    const all = entries(5);
    all.forEach((e) => q.push(e));
    all[0].live = false;
    all[3].live = false;
    q.markedDead();
    q.markedDead();

    expect([q.shiftLive(), q.shiftLive(), q.shiftLive(), q.shiftLive()].map((e) => e?.n)).toEqual([
      1,
      2,
      4,
      undefined,
    ]);
    expect(q.length).toBe(0);
  });

  it('keeps FIFO order across its internal compactions (large queues, many dead entries)', () => {
    const q = queue();
    const all = entries(10_000);
    all.forEach((e) => q.push(e));
    for (let i = 0; i < 3_000; i++) q.shiftLive(); // moves the head past the reset threshold
    for (const e of all.slice(3_000, 9_000)) {
      e.live = false;
      q.markedDead(); // triggers the dead-entry compaction
    }
    expect(q.length).toBeLessThan(7_000);

    const rest: number[] = [];
    for (let e = q.shiftLive(); e !== undefined; e = q.shiftLive()) rest.push(e.n);
    expect(rest).toEqual(all.slice(9_000).map((e) => e.n));
  });

  it('drain() returns the live entries in order and empties the queue', () => {
    const q = queue();
    const all = entries(4);
    all.forEach((e) => q.push(e));
    all[1].live = false;
    q.markedDead();
    expect(q.drain().map((e) => e.n)).toEqual([0, 2, 3]);
    expect(q.length).toBe(0);
    expect(q.shiftLive()).toBeUndefined();
  });
});
