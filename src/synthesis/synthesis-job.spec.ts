import { expect } from '@jest/globals';
import { AllocationTier } from '../pools/allocation-tier';
import { PoolTimeoutError } from '../pools/pool-errors';
import { SpeechError } from '../speech/speech-error';
import { FakeLease, FakeSink, FakeSynthesizer, flush } from '../../test/support/synthesis/fake-synthesis';
import { CANCELED, DISCONNECTED, SHUTTING_DOWN } from './abort-reason';
import { SynthesisJob } from './synthesis-job';

function setup(limits = { maxBufferedBytes: 1_000, maxAudioBytes: 10_000 }) {
  const synthesizer = new FakeSynthesizer();
  const lease = new FakeLease(synthesizer);
  const sink = new FakeSink();
  let now = 0;
  const job = new SynthesisJob(
    lease,
    sink,
    { requestId: 'r1', input: { kind: 'ssml', ssml: '<speak/>' }, format: 'pcm-16k' },
    limits,
    () => now,
  );
  const controller = new AbortController();
  return {
    synthesizer,
    lease,
    sink,
    job,
    controller,
    tick: (ms: number) => (now += ms),
    start: () => job.run(controller.signal),
  };
}

describe('SynthesisJob', () => {
  it('streams chunks in order, answers once after the last one, and keeps the synthesizer reusable', async () => {
    const t = setup();
    const running = t.start();
    await flush();
    expect(t.synthesizer.request).toMatchObject({
      ssml: '<speak/>',
      format: 'pcm-16k',
      maxAudioBytes: 10_000,
    });
    t.tick(12.34);
    t.synthesizer.send(100);
    t.tick(5);
    t.synthesizer.send(50);
    t.synthesizer.finish();
    await running;
    expect(t.sink.chunks).toEqual([
      { bytes: 100, seq: 0 },
      { bytes: 50, seq: 1 },
    ]);
    expect(t.sink.results).toEqual([
      { kind: 'completed', requestId: 'r1', tier: 'warm', firstByteMs: 12.3, totalMs: 17.3, bytes: 150 },
    ]);
    expect(t.lease.releases).toEqual(['completed']);
  });

  it('answers a cancel with what was sent, stops forwarding at once, and tells the lease the turn was cut', async () => {
    const t = setup();
    const running = t.start();
    await flush();
    t.synthesizer.send(10);
    t.controller.abort(CANCELED);
    expect(t.sink.stoppedAfter).toBe(1); // told at once, so a sink holding audio back sends it before the answer
    t.synthesizer.send(10);
    await running;
    expect(t.sink.chunks).toHaveLength(1);
    expect(t.sink.results).toEqual([expect.objectContaining({ kind: 'canceled', tier: 'warm', bytes: 10 })]);
    expect(t.lease.releases).toEqual(['aborted']);
  });

  it('aborts a synthesis whose sink is over the bound with RATE_LIMITED', async () => {
    const t = setup();
    const running = t.start();
    await flush();
    t.synthesizer.send(10);
    t.sink.buffered = 1_001;
    t.synthesizer.send(10);
    await running;
    expect(t.sink.chunks).toHaveLength(1);
    expect(t.sink.results).toEqual([
      expect.objectContaining({
        kind: 'failed',
        error: expect.objectContaining({
          code: 'RATE_LIMITED',
          message: expect.stringMatching(/1001 bytes/),
        }),
      }),
    ]);
    expect(t.lease.releases).toEqual(['aborted']);
  });

  it('reports an upstream failure as it is, and the lease learns the client failed', async () => {
    const t = setup();
    const running = t.start();
    await flush();
    t.synthesizer.fail(new SpeechError('UPSTREAM_UNAVAILABLE', 'socket closed'));
    await running;
    expect(t.sink.results).toEqual([
      expect.objectContaining({
        kind: 'failed',
        error: { code: 'UPSTREAM_UNAVAILABLE', message: 'socket closed', retryable: true },
      }),
    ]);
    expect(t.lease.releases).toEqual(['failed']);
  });

  it('hides an unexpected failure behind INTERNAL but hands the cause to the sink', async () => {
    const t = setup();
    const running = t.start();
    await flush();
    const bug = new TypeError('x is undefined');
    t.synthesizer.fail(bug);
    await running;
    expect(t.sink.results).toEqual([
      expect.objectContaining({
        kind: 'failed',
        error: expect.objectContaining({ code: 'INTERNAL' }),
        cause: bug,
      }),
    ]);
  });

  it('answers an allocation failure without releasing anything', async () => {
    const t = setup();
    t.lease.failNext(new PoolTimeoutError('tts', 50));
    await t.start();
    expect(t.sink.results).toEqual([
      expect.objectContaining({
        kind: 'failed',
        tier: null,
        error: expect.objectContaining({ code: 'POOL_EXHAUSTED' }),
      }),
    ]);
    expect(t.lease.releases).toEqual([]);
  });

  it('answers nothing to a connection that is gone, and SHUTTING_DOWN at shutdown', async () => {
    const gone = setup();
    gone.controller.abort(DISCONNECTED);
    await gone.start();
    expect(gone.lease.acquired).toBe(0);
    expect(gone.sink.results).toEqual([expect.objectContaining({ kind: 'abandoned', tier: null })]);

    const closing = setup();
    const running = closing.start();
    await flush();
    closing.controller.abort(SHUTTING_DOWN);
    await running;
    expect(closing.sink.results).toEqual([
      expect.objectContaining({ kind: 'failed', error: expect.objectContaining({ code: 'SHUTTING_DOWN' }) }),
    ]);
  });

  it('answers a request dropped from a queue without running it', () => {
    const t = setup();
    t.job.abandon(CANCELED);
    expect(t.sink.results).toEqual([
      { kind: 'canceled', requestId: 'r1', tier: null, firstByteMs: null, totalMs: 0, bytes: 0 },
    ]);
    expect(t.lease.acquired).toBe(0);
  });

  it('tells the sink the tier once a synthesizer is allocated, before any audio', async () => {
    const t = setup();
    const running = t.start();
    await flush();
    expect(t.sink.tiers).toEqual([AllocationTier.WARM]);
    expect(t.sink.chunks).toEqual([]);
    t.synthesizer.finish();
    await running;
    expect(t.sink.tiers).toEqual([AllocationTier.WARM]);
  });

  it('stops from outside its transport: a running request is aborted, one not yet run is answered at once', async () => {
    const running = setup();
    const served = running.start();
    await flush();
    running.job.stop(SHUTTING_DOWN);
    await served;
    await running.job.finished;
    expect(running.sink.results).toEqual([
      expect.objectContaining({ kind: 'failed', error: expect.objectContaining({ code: 'SHUTTING_DOWN' }) }),
    ]);
    expect(running.lease.releases).toEqual(['aborted']);

    const waiting = setup();
    waiting.job.stop(SHUTTING_DOWN);
    await waiting.job.finished;
    await waiting.start(); // its turn comes later: nothing runs, nothing is answered twice
    expect(waiting.sink.results).toEqual([
      expect.objectContaining({ kind: 'failed', error: expect.objectContaining({ code: 'SHUTTING_DOWN' }) }),
    ]);
    expect(waiting.lease.acquired).toBe(0);
  });

  it('answers a refused request once, with the refusal, without running it', async () => {
    const t = setup();
    t.job.refuse(new SpeechError('RATE_LIMITED', 'queue full'));
    t.job.abandon(CANCELED);
    await t.job.finished;
    expect(t.sink.results).toEqual([
      expect.objectContaining({
        kind: 'failed',
        tier: null,
        error: expect.objectContaining({ code: 'RATE_LIMITED' }),
      }),
    ]);
    expect(t.lease.acquired).toBe(0);
  });
});
