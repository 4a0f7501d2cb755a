import { TextStream, TextStreamTooLong } from './text-stream';

describe('TextStream (a streamed turn’s text)', () => {
  it('hands out each sentence once its last piece is in, and the rest at the end', () => {
    const stream = new TextStream();
    for (const piece of ['Hello', ' there', '.', ' And', ' more']) stream.push(piece);
    expect(stream.take()).toBe('Hello there.');
    expect(stream.take()).toBeUndefined();
    expect(stream.done).toBe(false);
    stream.end();
    expect(stream.take()).toBe('And more');
    expect(stream.done).toBe(true);
    stream.push(' ignored after the end');
    expect(stream.take()).toBeUndefined();
  });

  it('wakes a waiting turn when a sentence is ready or the text ends, not for a piece that completes nothing', async () => {
    const stream = new TextStream();
    const never = new AbortController().signal;
    let woken = false;
    const waiting = stream.wait(never).then(() => (woken = true));
    stream.push('Half a');
    await Promise.resolve();
    expect(woken).toBe(false);
    stream.push(' sentence.');
    await waiting;
    expect(stream.take()).toBe('Half a sentence.');
    const atEnd = stream.wait(never);
    stream.end();
    await atEnd;
    expect(stream.done).toBe(true);
  });

  it('stops waiting when the turn is stopped', async () => {
    const stop = new AbortController();
    const waiting = new TextStream().wait(stop.signal);
    stop.abort();
    await expect(waiting).resolves.toBeUndefined();
  });

  it('refuses text past its bound', () => {
    const stream = new TextStream(10);
    stream.push('0123456789');
    expect(() => stream.push('x')).toThrow(TextStreamTooLong);
  });
});
