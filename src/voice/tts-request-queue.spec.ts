import { DISCONNECTED, SESSION_ENDED } from '../synthesis/abort-reason';
import { TtsRequestQueue, type TtsJob } from './tts-request-queue';

/** A job whose completion the test controls. */
function controlledJob(requestId: string, log: string[]) {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  let seenSignal: AbortSignal | null = null;
  const job: TtsJob = {
    requestId,
    run: async (signal) => {
      seenSignal = signal;
      log.push(`start ${requestId}`);
      signal.addEventListener('abort', () => finish());
      await done;
      log.push(`end ${requestId}${signal.aborted ? ' (aborted)' : ''}`);
    },
    abandon: (reason) => log.push(`dropped ${requestId} (${reason.kind})`),
  };
  return { job, finish: () => finish(), signal: () => seenSignal };
}

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('TtsRequestQueue', () => {
  it('runs jobs one at a time in arrival order', async () => {
    const log: string[] = [];
    const queue = new TtsRequestQueue(8);
    const a = controlledJob('a', log);
    const b = controlledJob('b', log);
    queue.enqueue(a.job);
    queue.enqueue(b.job);
    await flush();
    expect(log).toEqual(['start a']);
    a.finish();
    await flush();
    expect(log).toEqual(['start a', 'end a', 'start b']);
    b.finish();
    await flush();
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b']);
  });

  it('refuses beyond maxPending waiting jobs (the running one does not count)', () => {
    const log: string[] = [];
    const queue = new TtsRequestQueue(2);
    expect(queue.enqueue(controlledJob('run', log).job)).toBe(true);
    expect(queue.enqueue(controlledJob('w1', log).job)).toBe(true);
    expect(queue.enqueue(controlledJob('w2', log).job)).toBe(true);
    expect(queue.enqueue(controlledJob('w3', log).job)).toBe(false);
    queue.cancelAll(SESSION_ENDED);
  });

  it('cancels a waiting job without running it, and aborts the running one', async () => {
    const log: string[] = [];
    const queue = new TtsRequestQueue(8);
    const a = controlledJob('a', log);
    const b = controlledJob('b', log);
    const c = controlledJob('c', log);
    queue.enqueue(a.job);
    queue.enqueue(b.job);
    queue.enqueue(c.job);
    expect(queue.has('b')).toBe(true);
    expect(queue.cancel('b')).toBe(true);
    expect(queue.has('b')).toBe(false);
    expect(queue.cancel('a')).toBe(true);
    await flush();
    expect(a.signal()?.aborted).toBe(true);
    c.finish();
    await flush();
    expect(log).toEqual(['start a', 'dropped b (canceled)', 'end a (aborted)', 'start c', 'end c']);
    expect(queue.cancel('zzz')).toBe(false);
  });

  it('cancelAll drops waiting jobs and aborts the running one, with its reason', async () => {
    const log: string[] = [];
    const queue = new TtsRequestQueue(8);
    const a = controlledJob('a', log);
    queue.enqueue(a.job);
    queue.enqueue(controlledJob('b', log).job);
    queue.cancelAll(DISCONNECTED);
    await flush();
    expect(a.signal()?.reason).toBe(DISCONNECTED);
    expect(log).toEqual(['start a', 'dropped b (disconnected)', 'end a (aborted)']);
  });

  it('keeps going when a job rejects despite its contract', async () => {
    const log: string[] = [];
    const queue = new TtsRequestQueue(8);
    queue.enqueue({
      requestId: 'bad',
      run: () => Promise.reject(new Error('boom')),
      abandon: () => {},
    });
    const ok = controlledJob('ok', log);
    queue.enqueue(ok.job);
    await flush();
    ok.finish();
    await flush();
    expect(log).toEqual(['start ok', 'end ok']);
  });
});
