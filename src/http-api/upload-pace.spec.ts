import { expect } from '@jest/globals';
import { PassThrough } from 'node:stream';
import { FakeClock } from '../../test/support/pools/fake-clock';
import { pacedBody } from './upload-pace';

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const pace = { idleMs: 1_000, minBytesPerSecond: 100, rateWindowMs: 5_000 };

describe('pacedBody', () => {
  it('passes the body through and ends with it', async () => {
    const source = new PassThrough();
    source.end(Buffer.from('abc'));
    const chunks: Buffer[] = [];
    for await (const chunk of pacedBody(source, pace, new FakeClock())) chunks.push(chunk);
    expect(Buffer.concat(chunks).toString()).toBe('abc');
  });

  it('fails with 408 TIMEOUT once nothing arrived for the idle time, not before', async () => {
    const clock = new FakeClock();
    const source = new PassThrough();
    const body = pacedBody(source, pace, clock);
    const next = body.next();
    let settled = false;
    next.then(
      () => (settled = true),
      () => (settled = true),
    );
    clock.advance(999);
    await flush();
    expect(settled).toBe(false);
    clock.advance(1);
    await expect(next).rejects.toMatchObject({ code: 'TIMEOUT', status: 408 });
    // Left for the answer to close: a stalled request is not destroyed before it got its 408.
    expect(source.destroyed).toBe(false);
  });

  it('does not count the time the consumer takes, only the time spent waiting for the client', async () => {
    const clock = new FakeClock();
    const source = new PassThrough();
    const body = pacedBody(source, pace, clock);
    source.write(Buffer.alloc(10));
    await body.next();
    clock.advance(60_000); // the consumer is busy (a recognizer being acquired): not the client's time
    source.write(Buffer.alloc(10));
    await expect(body.next()).resolves.toMatchObject({ done: false });
  });

  it('fails a trickle that beats the idle time but not the minimum rate', async () => {
    const clock = new FakeClock();
    const source = new PassThrough();
    const body = pacedBody(source, pace, clock);
    let failure: unknown = null;
    for (let i = 0; i < 10 && failure === null; i++) {
      const next = body.next();
      clock.advance(900);
      source.write(Buffer.alloc(2));
      failure = await next.then(
        () => null,
        (error: unknown) => error,
      );
    }
    // 5 s of waiting for 12 bytes: far below 100 bytes/s.
    expect(failure).toMatchObject({
      code: 'TIMEOUT',
      status: 408,
      message: expect.stringMatching(/slower than 100/),
    });
  });

  it('keeps an upload at the minimum rate', async () => {
    const clock = new FakeClock();
    const source = new PassThrough();
    const body = pacedBody(source, pace, clock);
    for (let i = 0; i < 20; i++) {
      const next = body.next();
      clock.advance(900);
      source.write(Buffer.alloc(100));
      await expect(next).resolves.toMatchObject({ done: false });
    }
  });
});
