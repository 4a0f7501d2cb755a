import { expect } from '@jest/globals';
import type { VoiceClient } from '../src/client';
import { startEmulator, type RunningEmulator } from '../src/emulator';
import { freePort, spawnService, waitForReady, type ServiceProcess } from './support/process/service-process';
import {
  closeAll,
  newClient,
  stopReading,
  synthesize,
  waitFor,
  type ClientOptions,
} from './support/app/voice-harness';

jest.setTimeout(120_000);

const DRAIN_S = 1;

/**
 * The voice gateway in the service as `npm start` runs it, configured only by the environment: its limits and
 * drain time come from VOICE_* variables, its logs never show a whole session id, and SIGTERM ends it within
 * the drain time plus a second whatever its peers do.
 */
const RATE_KEY = 'rate-key-0123456789';
const WORK_KEY = 'work-key-0123456789';
const DRAIN_KEY = 'drain-key-0123456789';

describe('the voice gateway in the real service process: limits, logs and shutdown (e2e)', () => {
  let emulator: RunningEmulator;
  let service: ServiceProcess;
  let base: string;
  const clients: VoiceClient[] = [];
  const connect = (options: ClientOptions = {}): VoiceClient => {
    const client = newClient(base, { token: WORK_KEY, ...options });
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, voice: 'synthetic' });
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    service = spawnService({
      PORT: String(port),
      AZURE_SPEECH_HOST: emulator.url,
      AZURE_SPEECH_KEY: 'test-key',
      SPEECH_POOL_WARM_SIZE: '2',
      // The request budget is per key: the rate test spends its own key's, the other tests use another.
      VOICE_API_KEYS: `${RATE_KEY},${WORK_KEY},${DRAIN_KEY}`,
      METRICS_PUBLIC: 'true', // scraped without a key below
      VOICE_REQUEST_BURST: '5',
      VOICE_REQUEST_RATE: '0.1',
      VOICE_SEND_BUFFER_MAX: '256',
      VOICE_DRAIN_TIMEOUT: String(DRAIN_S),
      LOG_LEVEL: 'debug',
    });
    await waitForReady(base, service);
  });
  afterAll(async () => {
    closeAll(clients);
    service?.child.kill('SIGKILL');
    await emulator?.close();
  });

  it('takes the request rate from VOICE_REQUEST_RATE and VOICE_REQUEST_BURST', async () => {
    const client = connect({ token: RATE_KEY });
    await client.ready();
    for (let i = 0; i < 5; i++)
      expect(await client.cancel(`r${i}`)).toEqual({ ok: true, sentMs: 0, spokenText: '' });
    await expect(client.cancel('r5')).rejects.toMatchObject({
      code: 'RATE_LIMITED',
      message: expect.stringContaining('burst 5'),
      retryable: true,
    });
    client.close();
  });

  it('logs a prefix of a session id, never the whole resumable id', async () => {
    const first = connect();
    const { sessionId } = await first.ready();
    expect((await synthesize(first, { text: 'allocations are logged at debug' })).ack.ok).toBe(true);
    const displaced = new Promise((resolve) => first.on('displaced', resolve));
    const second = connect({ sessionId });
    await second.ready();
    await displaced;
    const prefix = sessionId.slice(0, 8);
    await waitFor(() => service.output().includes(`session ${prefix}`), 'the takeover was logged');
    expect(service.output()).toContain(`session=${prefix}`);
    expect(service.output()).not.toContain(sessionId);
    second.close();
  });

  it('on SIGTERM exits within the drain time and a second, even with a peer that stopped reading', async () => {
    const client = connect({ token: DRAIN_KEY });
    await client.ready();
    stopReading(client);
    // Audio the peer never reads fills the socket buffers until the server aborts a synthesis (back-pressure).
    for (let i = 0; i < 6; i++) {
      client
        .synthesize({
          text: 'Nobody is listening to this. '.repeat(20),
          format: 'pcm-48k',
          requestId: `unread-${i}`,
        })
        .catch(() => undefined); // never read: the service goes away first
    }
    const metricLine = /warmline_voice_requests_total\{event="tts.synthesize",outcome="RATE_LIMITED"\} 1/;
    const deadline = Date.now() + 60_000;
    while (!metricLine.test(await (await fetch(`${base}/metrics`)).text())) {
      if (Date.now() > deadline) throw new Error(`no back-pressure abort:\n${service.output().slice(-3000)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }

    const started = Date.now();
    service.child.kill('SIGTERM');
    expect(await service.exited).toBe(0);
    const ms = Date.now() - started;
    expect(service.output()).toMatch(/destroyed 1 connection\(s\) whose peer did not finish closing/);
    // Generous for a slow machine, far below the 30 s a close handshake with a stalled peer would take.
    expect(ms).toBeLessThan(DRAIN_S * 1000 + 1000 + 5_000);
  });
});
