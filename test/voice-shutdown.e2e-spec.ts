import { expect } from '@jest/globals';
import {
  once,
  ready,
  refused,
  request,
  startVoiceApp,
  synthesize,
  waitFor,
  type VoiceApp,
} from './support/app/voice-harness';

jest.setTimeout(60_000);

const shuttingDown = {
  ok: false,
  error: { code: 'SHUTTING_DOWN', message: expect.any(String), retryable: true },
};

/** Every client the pools ever made was destroyed, and the emulator sees no socket from us. */
async function nothingLeftUpstream(v: VoiceApp): Promise<void> {
  for (const pool of [v.tts, v.stt]) {
    const { metrics } = pool.snapshot();
    expect(metrics.resourcesCreated).toBe(metrics.resourcesDestroyed);
  }
  await waitFor(() => v.emulator.stats().connectionsOpen === 0, 'every upstream socket closed');
}

describe('voice gateway: graceful shutdown (e2e)', () => {
  let v: VoiceApp;

  afterEach(() => v.close());

  it('once shutdown begins, new work gets SHUTTING_DOWN and new connections are refused; stopping still works', async () => {
    v = await startVoiceApp();
    const socket = v.connect();
    await ready(socket);
    expect(await request(socket, 'stt.start', {})).toMatchObject({ ok: true });

    v.shutdown.begin('test');
    expect(await request(socket, 'tts.synthesize', { text: 'too late' })).toEqual(shuttingDown);
    expect(await request(socket, 'stt.start', {})).toEqual(shuttingDown);
    expect(await request(socket, 'stt.stop')).toMatchObject({ ok: true });
    expect(await request(socket, 'tts.cancel', { requestId: 'x' })).toEqual({ ok: true });
    expect(await refused(v.connect())).toMatchObject({
      message: 'SHUTTING_DOWN',
      data: { code: 'SHUTTING_DOWN' },
    });
  });

  it('lets running syntheses and recognitions finish, then disconnects and leaves nothing open upstream', async () => {
    v = await startVoiceApp({ voice: { drainTimeoutMs: 20_000 } });
    const socket = v.connect();
    await ready(socket);
    const speech = await synthesize(socket, { text: 'last words before closing', format: 'pcm-16k' });
    expect(await request(socket, 'stt.start', {})).toMatchObject({ ok: true });
    socket.emit('stt.audio', speech.audio);

    v.emulator.setFaults({ firstByteLatencyMs: 500 });
    const syntheses = v.emulator.stats().syntheses;
    const inFlight = request(socket, 'tts.synthesize', { text: 'finishing during the drain' });
    await waitFor(() => v.emulator.stats().syntheses > syntheses, 'the synthesis reached the emulator');
    const disconnected = once<string>(socket, 'disconnect');
    const closing = v.app.close();

    // Still served while draining: the running synthesis completes, the recognition can be stopped.
    expect(await inFlight).toMatchObject({ ok: true, tier: 'dedicated' });
    expect(await request(socket, 'stt.stop')).toEqual({ ok: true, finals: 1 });
    await closing;
    expect(await disconnected).toBe('io server disconnect');
    await nothingLeftUpstream(v);
  });

  it('aborts work that outlasts the drain with SHUTTING_DOWN answers before closing the sockets', async () => {
    v = await startVoiceApp({ voice: { drainTimeoutMs: 300 } });
    const socket = v.connect();
    await ready(socket);
    expect(await request(socket, 'stt.start', { requestId: 'endless' })).toMatchObject({ ok: true });
    // Longer than the drain. (It slows the pool's warm-up utterances too, and pool shutdown waits for those.)
    v.emulator.setFaults({ firstByteLatencyMs: 2_000 });
    const stuck = request(socket, 'tts.synthesize', { text: 'this takes too long', requestId: 'slow' });
    const queued = request(socket, 'tts.synthesize', { text: 'behind it', requestId: 'queued' });
    const sttError = once(socket, 'error');
    await waitFor(() => v.tts.snapshot().inUse === 1, 'the synthesis is running');
    const closing = v.app.close();

    expect(await stuck).toEqual(shuttingDown);
    expect(await queued).toEqual(shuttingDown);
    expect(await sttError).toEqual({
      code: 'SHUTTING_DOWN',
      message: expect.any(String),
      requestId: 'endless',
    });
    await closing;
    await nothingLeftUpstream(v);
  });
});
