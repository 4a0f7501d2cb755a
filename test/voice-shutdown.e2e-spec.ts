import { expect } from '@jest/globals';
import {
  once,
  refused,
  startVoiceApp,
  synthesize,
  waitFor,
  type VoiceApp,
} from './support/app/voice-harness';

jest.setTimeout(60_000);

const shuttingDown = {
  name: 'VoiceError',
  code: 'SHUTTING_DOWN',
  message: expect.any(String),
  retryable: true,
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
    const client = v.connect();
    await client.ready();
    const recognition = client.recognize();
    expect(await recognition.started).toMatchObject({ ok: true });

    v.shutdown.begin('test');
    await expect(client.synthesize({ text: 'too late' })).rejects.toMatchObject(shuttingDown);
    await expect(client.recognize().started).rejects.toMatchObject(shuttingDown);
    expect(await recognition.stop()).toMatchObject({ ok: true });
    expect(await client.cancel('x')).toEqual({ ok: true, sentMs: 0, spokenText: '' });
    expect(await refused(v.connect())).toMatchObject(shuttingDown);
  });

  it('lets running syntheses and recognitions finish, then disconnects and leaves nothing open upstream', async () => {
    v = await startVoiceApp({ voice: { drainTimeoutMs: 20_000 } });
    const client = v.connect();
    await client.ready();
    const speech = await synthesize(client, { text: 'last words before closing', format: 'pcm-16k' });
    const recognition = client.recognize();
    expect(await recognition.started).toMatchObject({ ok: true });
    recognition.send(speech.audio);

    v.emulator.setFaults({ firstByteLatencyMs: 500 });
    const syntheses = v.emulator.stats().syntheses;
    const inFlight = client.synthesize({ text: 'finishing during the drain' });
    await waitFor(() => v.emulator.stats().syntheses > syntheses, 'the synthesis reached the emulator');
    const disconnected = once<string>(client.socket, 'disconnect');
    const closing = v.app.close();

    // Still served while draining: the running synthesis completes, the recognition can be stopped.
    expect(await inFlight).toMatchObject({ ok: true, tier: 'dedicated' });
    expect(await recognition.stop()).toEqual({ ok: true, finals: 1 });
    await closing;
    expect(await disconnected).toBe('io server disconnect');
    await nothingLeftUpstream(v);
  });

  it('aborts work that outlasts the drain with SHUTTING_DOWN answers before closing the sockets', async () => {
    v = await startVoiceApp({ voice: { drainTimeoutMs: 300 } });
    const client = v.connect();
    await client.ready();
    let sttError: (event: unknown) => void = () => undefined;
    const sttErrors = new Promise((resolve) => (sttError = resolve));
    const recognition = client.recognize({ requestId: 'endless' }, { onError: (event) => sttError(event) });
    expect(await recognition.started).toMatchObject({ ok: true });
    // Longer than the drain. (It slows the pool's warm-up utterances too, and pool shutdown waits for those.)
    v.emulator.setFaults({ firstByteLatencyMs: 2_000 });
    const stuck = client.synthesize({ text: 'this takes too long', requestId: 'slow' });
    const queued = client.synthesize({ text: 'behind it', requestId: 'queued' });
    stuck.catch(() => undefined); // both awaited below
    queued.catch(() => undefined);
    await waitFor(() => v.tts.snapshot().inUse === 1, 'the synthesis is running');
    const closing = v.app.close();

    await expect(stuck).rejects.toMatchObject(shuttingDown);
    await expect(queued).rejects.toMatchObject(shuttingDown);
    expect(await sttErrors).toEqual({
      code: 'SHUTTING_DOWN',
      message: expect.any(String),
      requestId: 'endless',
    });
    await closing;
    await nothingLeftUpstream(v);
  });
});
