import { expect } from '@jest/globals';
import {
  closeAll,
  once,
  startVoiceApp,
  synthesize,
  waitFor,
  type VoiceApp,
} from './support/app/voice-harness';

jest.setTimeout(60_000);

/** A session's synthesizer is handed out as DEDICATED only while it is usable; busy is usable, broken is not. */
describe('voice gateway: the session synthesizer is checked before a DEDICATED hand-out (e2e)', () => {
  let v: VoiceApp;

  beforeAll(async () => {
    v = await startVoiceApp();
  });
  afterEach(() => {
    closeAll(v.clients);
    v.emulator.setFaults({});
  });
  afterAll(() => v.close());

  it('a broken session synthesizer is replaced: the next request is WARM or COLD, not DEDICATED', async () => {
    const client = v.connect();
    const { sessionId } = await client.ready();
    expect((await synthesize(client, { text: 'first' })).ack).toMatchObject({ ok: true, tier: 'warm' });
    // The pool hands the session's own client to anyone asking for the session: break it behind its back.
    const { resource } = await v.tts.acquireForSession(sessionId);
    await resource.dispose();
    expect(resource.isReady()).toBe(false);
    const destroyed = v.tts.snapshot().metrics.resourcesDestroyed;

    const next = await synthesize(client, { text: 'after the break' });
    expect(next.ack).toMatchObject({ ok: true, tier: expect.stringMatching(/^(warm|cold)$/) });
    expect(next.audio.length).toBeGreaterThan(0);
    await waitFor(
      () => v.tts.snapshot().metrics.resourcesDestroyed > destroyed,
      'the broken client destroyed',
    );
    expect((await synthesize(client, { text: 'and then' })).ack).toMatchObject({
      ok: true,
      tier: 'dedicated',
    });
  });

  it('a session synthesizer busy with a turn is still its own: DEDICATED, the same client', async () => {
    const client = v.connect();
    const { sessionId } = await client.ready();
    expect((await synthesize(client, { text: 'first' })).ack).toMatchObject({ ok: true, tier: 'warm' });
    const held = await v.tts.acquireForSession(sessionId);
    v.emulator.setFaults({ firstByteLatencyMs: 300 });
    const audio = once(client.socket, 'tts.audio');
    const running = client.synthesize({ text: 'a turn in progress', requestId: 'busy' });
    await waitFor(() => held.resource.busy, 'the turn is running');
    const again = await v.tts.acquireForSession(sessionId);
    expect(again).toEqual({ resource: held.resource, tier: 'dedicated' });
    await audio;
    expect(await running).toMatchObject({ ok: true, tier: 'dedicated' });
  });
});
