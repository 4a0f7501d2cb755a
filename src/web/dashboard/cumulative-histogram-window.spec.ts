import { CumulativeHistogramWindow } from './cumulative-histogram-window';

const bounds = [0.01, 0.05, 0.1, Infinity];
const reading = (...counts: number[]) => ({ upperBounds: bounds, counts });

describe('CumulativeHistogramWindow', () => {
  it('knows nothing before two readings', () => {
    const window = new CumulativeHistogramWindow(3);
    expect(window.quantile(0.5)).toBeNull();
    window.push(reading(5, 5, 5, 5));
    expect(window.quantile(0.5)).toBeNull();
    expect(window.count).toBe(0);
  });

  it('interpolates inside the bucket the rank falls in, over the observations between readings', () => {
    const window = new CumulativeHistogramWindow(3);
    window.push(reading(100, 100, 100, 100)); // before the window: ignored
    window.push(reading(100, 110, 120, 120)); // 10 in (0.01, 0.05], 10 in (0.05, 0.1]
    expect(window.count).toBe(20);
    expect(window.quantile(0.5)).toBeCloseTo(0.05); // rank 10: the top of the first occupied bucket
    expect(window.quantile(0.25)).toBeCloseTo(0.03); // rank 5: half-way through (0.01, 0.05]
    expect(window.quantile(0.95)).toBeCloseTo(0.095);
  });

  it('forgets readings older than the window', () => {
    const window = new CumulativeHistogramWindow(2);
    window.push(reading(0, 0, 0, 0));
    window.push(reading(0, 0, 10, 10)); // slow ones
    window.push(reading(10, 10, 20, 20)); // fast ones
    window.push(reading(20, 20, 30, 30)); // fast ones: the slow reading left the window
    expect(window.count).toBe(20);
    expect(window.quantile(0.99)).toBeLessThanOrEqual(0.01);
  });

  it('answers the highest finite bound for ranks beyond it', () => {
    const window = new CumulativeHistogramWindow(1);
    window.push(reading(0, 0, 0, 0));
    window.push(reading(0, 0, 0, 4));
    expect(window.quantile(0.5)).toBe(0.1);
  });

  it('counts the first observations of a histogram that had none (no buckets yet)', () => {
    const window = new CumulativeHistogramWindow(3);
    window.push({ upperBounds: [], counts: [] });
    window.push({ upperBounds: [], counts: [] });
    expect(window.quantile(0.5)).toBeNull();
    window.push(reading(2, 2, 2, 2));
    expect(window.count).toBe(2);
    expect(window.quantile(0.5)).toBeCloseTo(0.005);
  });

  it('starts over when the counters go back (a new registry)', () => {
    const window = new CumulativeHistogramWindow(3);
    window.push(reading(0, 0, 0, 0));
    window.push(reading(5, 5, 5, 5));
    window.push(reading(1, 1, 1, 1));
    expect(window.quantile(0.5)).toBeNull();
  });
});
