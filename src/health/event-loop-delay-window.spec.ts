import { EventLoopDelayWindow, type DelayHistogram } from './event-loop-delay-window';

describe('EventLoopDelayWindow', () => {
  it('has no verdict before the first window completes', () => {
    const histogram: DelayHistogram = { max: 5e9, percentile: () => 5e9, reset: jest.fn() };
    expect(new EventLoopDelayWindow(histogram).lastWindow).toBeNull();
  });

  it('reports the last complete window in ms and starts a new one', () => {
    let p99 = 12_345_678; // ns
    const histogram = { max: 40_000_000, percentile: (p: number) => (p === 99 ? p99 : 0), reset: jest.fn() };
    const window = new EventLoopDelayWindow(histogram);
    window.rotate();
    expect(window.lastWindow).toEqual({ p99Ms: 12.35, maxMs: 40 });
    expect(histogram.reset).toHaveBeenCalledTimes(1);
    p99 = 3e9;
    window.rotate();
    expect(window.lastWindow?.p99Ms).toBe(3000);
  });
});
