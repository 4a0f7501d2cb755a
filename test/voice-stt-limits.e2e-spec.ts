import { expect } from '@jest/globals';
import type { ErrorEvent } from '../src/protocol';
import { FakeClock } from './support/pools/fake-clock';
import {
  closeAll,
  collectErrors,
  poolsSettled,
  request,
  startVoiceApp,
  waitFor,
  type VoiceApp,
} from './support/app/voice-harness';

jest.setTimeout(60_000);

const KiB = 1024;

describe('voice gateway: a silent recognition gives its recognizer back (e2e)', () => {
  let v: VoiceApp;
  const clock = new FakeClock();

  beforeAll(async () => {
    v = await startVoiceApp({ clock, voice: { limits: { sttAudioIdleMs: 10_000 } } });
  });
  afterEach(() => closeAll(v.clients));
  afterAll(() => v.close());

  it('no audio for VOICE_STT_AUDIO_IDLE: TIMEOUT for the recognition, the recognizer back in the pool', async () => {
    const client = v.connect();
    await client.ready();
    const errors: ErrorEvent[] = [];
    const recognition = client.recognize({ requestId: 'silent' }, { onError: (event) => errors.push(event) });
    expect(await recognition.started).toMatchObject({ ok: true, requestId: 'silent' });

    // Audio keeps it going: each frame starts the idle time afresh.
    clock.advance(9_000);
    recognition.send(Buffer.alloc(3_200));
    await request(client.socket, 'tts.cancel', { requestId: 'barrier' }); // the frame has been taken
    clock.advance(9_000);
    expect(errors).toEqual([]);
    expect(v.stt.snapshot().inUse).toBe(1);

    clock.advance(1_000);
    await waitFor(() => errors.length > 0, 'the TIMEOUT error event');
    expect(errors).toEqual([
      {
        requestId: 'silent',
        code: 'TIMEOUT',
        message: expect.stringContaining('VOICE_STT_AUDIO_IDLE'),
      },
    ]);
    await waitFor(() => v.stt.snapshot().inUse === 0, 'the recognizer back in the pool');
    // stt.stop reports the failure; the session may start again at once.
    await expect(recognition.stop()).rejects.toMatchObject({ code: 'TIMEOUT' });
    const again = client.recognize({ requestId: 'again' });
    expect(await again.started).toMatchObject({ ok: true, requestId: 'again' });
    expect(await again.stop()).toMatchObject({ ok: true });
    v.sessions.endAll();
    await poolsSettled(v);
  });
});

describe('voice gateway: early audio is bounded for the whole process (e2e)', () => {
  let v: VoiceApp;

  beforeAll(async () => {
    v = await startVoiceApp({
      // One recognizer, and a wait long enough that the others stay waiting for it.
      pools: { stt: { warmSize: 1, maxSize: 1, language: 'en-US' }, acquireTimeoutMs: 30_000 },
      voice: { limits: { maxEarlyAudioBytes: 256 * KiB, maxEarlyAudioTotalBytes: 64 * KiB } },
    });
  });
  afterEach(() => closeAll(v.clients));
  afterAll(() => v.close());

  it('sessions waiting for a recognizer share one bound: beyond it their audio is refused (RATE_LIMITED)', async () => {
    const holder = v.connect();
    await holder.ready();
    const held = holder.recognize({ requestId: 'holder' });
    expect(await held.started).toMatchObject({ ok: true });

    const [a, b] = [v.connect(), v.connect()];
    await Promise.all([a.ready(), b.ready()]);
    const [errorsA, errorsB] = [collectErrors(a), collectErrors(b)];
    const waitingA = a.recognize({ requestId: 'a' });
    const waitingB = b.recognize({ requestId: 'b' });
    // Each stays far below its own bound (256 KiB); together they reach the process's (64 KiB).
    waitingA.send(Buffer.alloc(32 * KiB));
    waitingA.send(Buffer.alloc(32 * KiB));
    // A connection's events are handled in order: once this is answered, A's audio has been taken.
    await request(a.socket, 'tts.cancel', { requestId: 'nothing-to-cancel' });
    waitingB.send(Buffer.alloc(32 * KiB));
    await waitFor(() => errorsB.length > 0, 'B refused');
    expect(errorsB[0]).toMatchObject({ code: 'RATE_LIMITED', requestId: 'b' });
    expect(errorsA).toEqual([]);

    // The holder finishes: A gets the recognizer with all its audio, and its share of the bound comes back.
    expect(await held.stop()).toMatchObject({ ok: true });
    expect(await waitingA.started).toMatchObject({ ok: true });
    expect(await waitingA.stop()).toMatchObject({ ok: true });
    expect(await waitingB.started).toMatchObject({ ok: true });
    expect(await waitingB.stop()).toMatchObject({ ok: true });
    const c = v.connect();
    await c.ready();
    const errorsC = collectErrors(c);
    const holdC = c.recognize({ requestId: 'c' });
    holdC.send(Buffer.alloc(32 * KiB));
    holdC.send(Buffer.alloc(32 * KiB));
    expect(await holdC.started).toMatchObject({ ok: true });
    expect(await holdC.stop()).toMatchObject({ ok: true });
    expect(errorsC).toEqual([]);
    v.sessions.endAll();
    await poolsSettled(v);
  });
});
