import { WorkTracker } from './work-tracker';

/** A piece of work the test ends: `finish` settles it, `stop` records that shutdown asked it to stop. */
function work() {
  let finish!: () => void;
  let fail!: (error: Error) => void;
  const done = new Promise<void>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  const stops: number[] = [];
  return { done, finish: () => finish(), fail: (e: Error) => fail(e), stop: () => stops.push(1), stops };
}

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('WorkTracker', () => {
  afterEach(() => jest.useRealTimers());

  it('counts work until it settles, however it ends', async () => {
    const tracker = new WorkTracker();
    const a = work();
    const b = work();
    tracker.track(a.done);
    tracker.track(b.done);
    expect(tracker.size).toBe(2);
    a.finish();
    b.fail(new Error('failed on its own'));
    await tracker.settled();
    expect(tracker.size).toBe(0);
  });

  it('drains: true once everything settled, false when the time is up first', async () => {
    jest.useFakeTimers();
    const tracker = new WorkTracker();
    await expect(tracker.drain(1_000)).resolves.toBe(true);
    const slow = work();
    tracker.track(slow.done);
    const timedOut = tracker.drain(1_000);
    await jest.advanceTimersByTimeAsync(1_000);
    await expect(timedOut).resolves.toBe(false);
    const finished = tracker.drain(1_000);
    slow.finish();
    await expect(finished).resolves.toBe(true);
  });

  it('waits for work that starts while it waits (a release after a synthesis)', async () => {
    const tracker = new WorkTracker();
    const synthesis = work();
    const release = work();
    tracker.track(synthesis.done);
    let settled = false;
    void tracker.settled().then(() => (settled = true));
    synthesis.finish();
    tracker.track(release.done);
    await flush();
    expect(settled).toBe(false);
    release.finish();
    await flush();
    expect(settled).toBe(true);
  });

  it('stops what can be stopped, once each, and nothing that already ended', async () => {
    const tracker = new WorkTracker();
    const ended = work();
    const running = work();
    const release = work();
    tracker.track(ended.done, ended.stop);
    tracker.track(running.done, running.stop);
    tracker.track(release.done);
    ended.finish();
    await flush();
    tracker.stopAll();
    expect(ended.stops).toEqual([]);
    expect(running.stops).toEqual([1]);
  });
});
