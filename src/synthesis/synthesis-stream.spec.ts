import { expect } from '@jest/globals';
import { SpeechError } from '../speech/speech-error';
import { FakeLease, FakeWordSink, FakeSynthesizer, flush } from '../../test/support/synthesis/fake-synthesis';
import { CANCELED, textIdle } from './abort-reason';
import { StreamedText, type StreamTimers } from './streamed-text';
import { SynthesisJob } from './synthesis-job';

/** Timers the test moves by hand. */
class ManualTimers implements StreamTimers {
  time = 0;
  private timers = new Map<object, { at: number; callback: () => void }>();
  now = (): number => this.time;
  setTimeout = (callback: () => void, ms: number): unknown => {
    const handle = {};
    this.timers.set(handle, { at: this.time + ms, callback });
    return handle;
  };
  clearTimeout = (timer: unknown): void => {
    this.timers.delete(timer as object);
  };
  advance(ms: number): void {
    this.time += ms;
    for (const [handle, timer] of [...this.timers]) {
      if (timer.at <= this.time) {
        this.timers.delete(handle);
        timer.callback();
      }
    }
  }
}

const word = (text: string, offsetMs: number) => ({ text, offsetMs, durationMs: 200, textOffset: 0 });

/** 16 kHz PCM: 32 bytes per ms. */
const BYTES_PER_MS = 32;

function setup(limits = { maxChars: 100, idleTimeoutMs: 1_000 }, words = false) {
  const timers = new ManualTimers();
  const synthesizer = new FakeSynthesizer();
  const lease = new FakeLease(synthesizer);
  const sink = new FakeWordSink();
  let job: SynthesisJob | null = null;
  const text = new StreamedText(limits, () => job?.stop(textIdle(limits.idleTimeoutMs)), timers);
  job = new SynthesisJob(
    lease,
    sink,
    {
      requestId: 's1',
      input: { kind: 'stream', text, voice: 'en-US-JennyNeural' },
      format: 'pcm-16k',
      words,
    },
    { maxBufferedBytes: 1_000_000, maxAudioBytes: 1_000_000 },
    timers.now,
  );
  const controller = new AbortController();
  return { timers, synthesizer, lease, sink, text, job, controller, start: () => job.run(controller.signal) };
}

describe('a streamed synthesis (StreamedText in a SynthesisJob)', () => {
  it('holds pieces written before it runs, then forwards each one at once, in order; end closes the text stream', async () => {
    const t = setup();
    t.text.write('Hello');
    t.text.write(' there.');
    const running = t.start();
    await flush();
    expect(t.synthesizer.request).toMatchObject({ voice: 'en-US-JennyNeural', format: 'pcm-16k' });
    expect(t.synthesizer.pieces).toEqual(['Hello', ' there.']);
    t.text.write(' How');
    expect(t.synthesizer.pieces).toEqual(['Hello', ' there.', ' How']); // synchronously: no batching
    expect(t.synthesizer.ended).toBe(false);
    t.text.end();
    expect(t.synthesizer.ended).toBe(true);
    t.synthesizer.send(64);
    t.synthesizer.finish();
    await running;
    expect(t.sink.results).toEqual([
      expect.objectContaining({ kind: 'completed', requestId: 's1', bytes: 64 }),
    ]);
    expect(t.lease.releases).toEqual(['completed']);
  });

  it('an end before the stream runs is passed on when it runs', async () => {
    const t = setup();
    t.text.write('All at once.');
    t.text.end();
    const running = t.start();
    await flush();
    expect(t.synthesizer.pieces).toEqual(['All at once.']);
    expect(t.synthesizer.ended).toBe(true);
    t.synthesizer.finish();
    await running;
  });

  it('counts the first byte from the first piece, not from the start of the stream', async () => {
    const t = setup();
    const running = t.start();
    await flush();
    t.timers.advance(500); // the model thinks before its first token
    t.text.write('Hi.');
    t.timers.advance(120);
    t.synthesizer.send(32);
    t.text.end();
    t.synthesizer.finish();
    await running;
    expect(t.sink.results[0]).toMatchObject({ kind: 'completed', firstByteMs: 120 });
  });

  it('refuses text after the end and pieces past the character bound (the stream goes on), and bad characters', async () => {
    const t = setup({ maxChars: 10, idleTimeoutMs: 1_000 });
    const running = t.start();
    await flush();
    t.text.write('12345');
    expect(() => t.text.write('678901')).toThrow(/exceed 10 characters/);
    expect(() => t.text.write('a\u0000b')).toThrow(SpeechError);
    t.text.write('67890');
    expect(t.synthesizer.pieces).toEqual(['12345', '67890']);
    t.text.end();
    expect(() => t.text.write('late')).toThrow(/after tts.stream.end/);
    t.synthesizer.finish();
    await running;
    expect(t.sink.results[0].kind).toBe('completed');
  });

  it('fails with TIMEOUT when no piece comes within the idle bound; each piece restarts it; the lease learns it was cut', async () => {
    const t = setup({ maxChars: 100, idleTimeoutMs: 1_000 });
    const running = t.start();
    await flush();
    t.timers.advance(900);
    t.text.write('still');
    t.timers.advance(900);
    expect(t.sink.results).toEqual([]);
    t.timers.advance(100);
    await running;
    expect(t.sink.results).toEqual([
      expect.objectContaining({ kind: 'failed', error: expect.objectContaining({ code: 'TIMEOUT' }) }),
    ]);
    expect(t.lease.releases).toEqual(['aborted']);
    t.text.write(' dropped'); // the turn is over: nothing reaches the synthesizer
    expect(t.synthesizer.pieces).toEqual(['still']);
  });

  it('the idle bound runs while the stream waits for its turn, and stops at the end', () => {
    const waiting = setup({ maxChars: 100, idleTimeoutMs: 1_000 });
    waiting.timers.advance(1_000);
    expect(waiting.sink.results).toEqual([
      expect.objectContaining({ kind: 'failed', error: expect.objectContaining({ code: 'TIMEOUT' }) }),
    ]);
    expect(waiting.lease.acquired).toBe(0);

    const ended = setup({ maxChars: 100, idleTimeoutMs: 1_000 });
    ended.text.write('Done.');
    ended.text.end();
    ended.timers.advance(5_000);
    expect(ended.sink.results).toEqual([]);
  });

  it('cancel: answered as canceled with what was sent, later chunks and pieces dropped, heard() says what was heard', async () => {
    const t = setup(undefined, true);
    const running = t.start();
    await flush();
    t.text.write('One two three four.');
    t.synthesizer.say(word('One', 50));
    t.synthesizer.send(100 * BYTES_PER_MS);
    t.synthesizer.say(word('two', 300));
    t.synthesizer.send(300 * BYTES_PER_MS);
    t.synthesizer.say(word('three', 500));
    t.controller.abort(CANCELED);
    t.synthesizer.send(100 * BYTES_PER_MS);
    t.synthesizer.say(word('four', 700));
    t.text.write(' more');
    await running;
    expect(t.sink.results).toEqual([
      expect.objectContaining({ kind: 'canceled', bytes: 400 * BYTES_PER_MS }),
    ]);
    expect(t.sink.words.map((w) => w.text)).toEqual(['One', 'two', 'three']);
    expect(t.synthesizer.pieces).toEqual(['One two three four.']);
    // 'three' starts at 500 ms: its audio never went out, so nobody heard it.
    expect(t.job.heard()).toEqual({ sentMs: 400, spokenText: 'One two' });
    expect(t.job.heard(300)).toEqual({ sentMs: 400, spokenText: 'One' });
    expect(t.job.heard(301)).toEqual({ sentMs: 400, spokenText: 'One two' });
    expect(t.job.heard(10_000)).toEqual({ sentMs: 400, spokenText: 'One two' }); // never beyond what was sent
    expect(t.lease.releases).toEqual(['aborted']);
  });

  it('words are recorded for heard() but only handed to the sink when asked for', async () => {
    const t = setup(undefined, false);
    const running = t.start();
    await flush();
    t.text.write('Hi.');
    t.synthesizer.say(word('Hi', 0));
    t.synthesizer.send(10 * BYTES_PER_MS);
    t.text.end();
    t.synthesizer.finish();
    await running;
    expect(t.sink.words).toEqual([]);
    expect(t.job.heard()).toEqual({ sentMs: 10, spokenText: 'Hi' });
  });

  it('an upstream failure is answered as it is; the stream drops later pieces', async () => {
    const t = setup();
    const running = t.start();
    await flush();
    t.text.write('Hello.');
    t.synthesizer.fail(new SpeechError('UPSTREAM_UNAVAILABLE', 'socket closed'));
    await running;
    expect(t.sink.results).toEqual([
      expect.objectContaining({
        kind: 'failed',
        error: expect.objectContaining({ code: 'UPSTREAM_UNAVAILABLE' }),
      }),
    ]);
    expect(t.lease.releases).toEqual(['failed']);
    t.text.write(' more');
    expect(t.synthesizer.pieces).toEqual(['Hello.']);
  });

  it('a stream dropped before it ran drops its text too', () => {
    const t = setup();
    t.text.write('Queued.');
    t.job.abandon(CANCELED);
    expect(t.sink.results).toEqual([expect.objectContaining({ kind: 'canceled' })]);
    t.timers.advance(5_000); // no idle failure after the answer
    expect(t.sink.results).toHaveLength(1);
  });
});
