import { Logger } from '@nestjs/common';
import { ShutdownSequence } from './shutdown-sequence';
import { ShutdownState } from './shutdown-state';
import { WorkTracker } from './work-tracker';

function setup() {
  const state = new ShutdownState();
  const work = new WorkTracker();
  const sequence = new ShutdownSequence(state, work);
  let finish!: () => void;
  const stops: string[] = [];
  work.track(new Promise<void>((resolve) => (finish = resolve)), () => {
    stops.push('stopped');
    finish();
  });
  return { state, work, sequence, stops, finish: () => finish() };
}

describe('ShutdownSequence', () => {
  // It logs how the drain went; not the test's business.
  beforeAll(() => {
    Logger.overrideLogger(false);
  });
  afterEach(() => jest.useRealTimers());

  it('the drain begins shutdown (new work is refused from then on) and waits for running work', async () => {
    const { state, sequence, finish } = setup();
    expect(sequence.draining).toBe(false);
    const drained = sequence.drain(10_000);
    expect(state.isShuttingDown).toBe(true);
    expect(sequence.draining).toBe(true);
    finish();
    await drained;
  });

  it('runs each step once, whichever transport calls it first; the stop ends what outlasted the drain', async () => {
    jest.useFakeTimers();
    const { sequence, stops, work } = setup();
    const first = sequence.drain(300);
    const second = sequence.drain(60_000);
    expect(second).toBe(first);
    await jest.advanceTimersByTimeAsync(300);
    await first;
    expect(work.size).toBe(1);
    const stopped = sequence.stop();
    expect(sequence.stop()).toBe(stopped);
    await stopped;
    expect(stops).toEqual(['stopped']);
    expect(work.size).toBe(0);
  });
});
