import { startEmulator, type RunningEmulator } from '../emulator';
import type { WarmableResourcePool } from '../pools';
import { textToSsml } from '../speech/ssml';
import type { TtsClient } from '../speech/tts-client';
import { waitFor } from '../../test/support/wait-for';
import type { PoolsModuleOptions } from './pools-module-options';
import { createTtsPool } from './speech-pools';

const VOICE = 'en-US-JennyNeural';
/** About a minute of audio from a few bytes of SSML. */
const LONG_SSML =
  '<speak version="1.0" xmlns="http://www.w3.org/2001/10/synthesis" xml:lang="en-US">' +
  `<voice name="${VOICE}">hi${'<break time="20s"/>'.repeat(3)}</voice></speak>`;

function options(): PoolsModuleOptions {
  return {
    tts: { warmSize: 1, maxSize: 4, voice: VOICE },
    stt: { warmSize: 0, maxSize: 1, language: 'en-US' },
    sessionAwareness: true,
    warmupIntervalMs: 60_000,
    sessionMaxAgeMs: 60_000,
    acquireTimeoutMs: 5_000,
    maxIdleMs: 60_000,
  };
}

/** Barge-in through the real pool: a canceled client goes back and finishes its turn off to the side. */
describe('TTS pool recycling a client released mid-turn (real SDK, emulator)', () => {
  let emulator: RunningEmulator;
  let pool: WarmableResourcePool<TtsClient>;

  beforeEach(async () => {
    emulator = await startEmulator({ port: 0, voice: 'synthetic' });
    pool = createTtsPool(options(), { kind: 'host', url: emulator.url, key: 'k' });
    await pool.prepare();
  });
  afterEach(async () => {
    await pool.shutdown();
    await emulator.close();
  });

  async function cancelMidTurn(client: TtsClient): Promise<void> {
    emulator.setFaults({ realtimeFactor: 1 });
    const abort = new AbortController();
    const outcome = await client.synthesize({
      ssml: LONG_SSML,
      signal: abort.signal,
      onChunk: () => abort.abort(),
    });
    expect(outcome.canceled).toBe(true);
  }

  it('a released canceled client is stopped upstream and comes back warm, usable on its own socket', async () => {
    const client = await pool.acquire();
    await cancelMidTurn(client);
    expect(client.busy).toBe(true);
    await pool.release(client);
    expect(client.busy).toBe(false);
    expect(pool.snapshot()).toMatchObject({ warmPoolSize: 1 });
    emulator.setFaults({});
    const again = await pool.acquire();
    expect(again).toBe(client);
    expect((await again.synthesize({ ssml: textToSsml('next', VOICE) })).bytes).toBeGreaterThan(0);
    expect(again.isReady()).toBe(true);
    await pool.release(again);
  });

  it('a turn that will not stop in time gets the client destroyed: its socket closes and the books balance', async () => {
    const client = await pool.acquire();
    // An upstream that ignores stop: the stop message never leaves this client.
    Object.assign(client['internals'], { requestStop: () => Promise.resolve() });
    await cancelMidTurn(client);
    const replaced = new Promise<void>((resolve) =>
      pool.onEvent((event) => event.kind === 'resource-replaced' && event.reason === 'invalid' && resolve()),
    );
    await pool.release(client);
    expect(client.isReady()).toBe(false);
    await replaced;
    expect(client.isDisposed).toBe(true);
    await pool.shutdown();
    const { resourcesCreated, resourcesDestroyed } = pool.snapshot().metrics;
    expect(resourcesDestroyed).toBe(resourcesCreated);
    await waitFor(() => emulator.stats().connectionsOpen === 0, 'every socket closed');
  });
});

/** The SDK's memory per turn stays on a connection until it closes: a pooled synthesizer is retired after maxTurns. */
describe('TTS pool retiring worn-out synthesizers (real SDK, emulator)', () => {
  it('replaces a synthesizer that served its turns: a new socket, the old one closed, the books balanced', async () => {
    const emulator = await startEmulator({ port: 0, voice: 'synthetic' });
    const pool = createTtsPool(
      { ...options(), tts: { ...options().tts, maxTurns: 3 } },
      { kind: 'host', url: emulator.url, key: 'k' },
    );
    try {
      await pool.prepare(); // the warm-up opens the socket (no turn yet)
      const first = await pool.acquireForSession('s1');
      for (let i = 0; i < 3; i++) await first.resource.synthesize({ ssml: textToSsml(`turn ${i}`, VOICE) });
      expect(first.resource.wornOut).toBe(true);
      await pool.sessionIdle('s1');
      const next = await pool.acquireForSession('s1');
      expect(next.resource).not.toBe(first.resource); // not DEDICATED: the worn one was replaced
      expect((await next.resource.synthesize({ ssml: textToSsml('fresh', VOICE) })).bytes).toBeGreaterThan(0);
      await pool.releaseForSession('s1');
      await waitFor(() => first.resource.isDisposed, 'the worn-out synthesizer disposed');
      await waitFor(() => emulator.stats().connectionsOpen === pool.snapshot().size, 'its socket closed');
      const { resourcesCreated, resourcesDestroyed } = pool.snapshot().metrics;
      expect(resourcesCreated - resourcesDestroyed).toBe(pool.snapshot().size);
    } finally {
      await pool.shutdown();
      await emulator.close();
    }
  });
});
