import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { VoiceClient } from '../src/client';
import { runClient } from '../src/client/cli';
import { startEmulator, type RunningEmulator } from '../src/emulator';
import { freePort, spawnService, waitForReady, type ServiceProcess } from './support/process/service-process';
import {
  closeAll,
  newClient,
  once,
  refused,
  synthesize,
  waitFor,
  type ClientOptions,
} from './support/app/voice-harness';

jest.setTimeout(120_000);

/**
 * The whole service as `npm start` runs it (src/main.ts in its own process), configured only by the environment:
 * the voice gateway is wired in, its adapter applied, its shutdown part of SIGTERM.
 */
describe('the voice gateway in the real service process (e2e)', () => {
  let emulator: RunningEmulator;
  let service: ServiceProcess;
  let base: string;
  const clients: VoiceClient[] = [];
  const connect = (options: ClientOptions): VoiceClient => {
    const client = newClient(base, options);
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
      VOICE_API_KEYS: 'service-key-0123456789,other-key-0123456789',
      SESSION_RESUME_GRACE: '1',
      LOG_LEVEL: 'info',
    });
    await waitForReady(base, service);
  });
  afterAll(async () => {
    closeAll(clients);
    service?.child.kill('SIGKILL');
    await emulator?.close();
  });

  it('serves /voice with the configured keys, and its metrics are on /metrics', async () => {
    expect(await refused(connect({ token: 'nope' }))).toMatchObject({ code: 'UNAUTHORIZED' });

    const client = connect({ token: 'service-key-0123456789' });
    await client.ready();
    expect((await synthesize(client, { text: 'hello from the real service' })).ack).toMatchObject({
      ok: true,
      tier: 'warm',
    });
    // With keys set, /metrics needs one too (METRICS_PUBLIC unset).
    const headers = { authorization: 'Bearer service-key-0123456789' };
    const metrics = await (await fetch(`${base}/metrics`, { headers })).text();
    expect(metrics).toMatch(/warmline_voice_sessions\{state="connected"\} 1/);
    expect(metrics).toMatch(/warmline_voice_requests_total\{event="tts.synthesize",outcome="ok"\} 1/);
    expect(metrics).toMatch(/warmline_tts_first_byte_seconds_count\{transport="socketio",tier="warm"\} 1/);
  });

  it('npm run client synthesizes through it into a WAV file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'warmline-cli-'));
    try {
      const file = join(dir, 'out.wav');
      const lines: string[] = [];
      const code = await runClient(
        ['Testing the client', '--url', base, '--token', 'other-key-0123456789', '--out', file],
        {
          log: (l) => lines.push(l),
          error: (l) => lines.push(l),
        },
      );
      expect({ code, lines }).toEqual({
        code: 0,
        lines: [expect.stringMatching(/^tier (warm|cold), first byte/)],
      });
      const wav = await readFile(file);
      expect(wav.readUInt32LE(40)).toBe(wav.length - 44);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('on SIGTERM: new work is refused, the running synthesis finishes, the process exits 0 with no upstream socket', async () => {
    const client = connect({ token: 'service-key-0123456789' });
    await client.ready();
    emulator.setFaults({ firstByteLatencyMs: 1_500 });
    const syntheses = emulator.stats().syntheses;
    const inFlight = client.synthesize({ text: 'the last words', requestId: 'last' });
    await waitFor(() => emulator.stats().syntheses > syntheses, 'the synthesis reached the emulator');
    const disconnected = once<string>(client.socket, 'disconnect', 60_000);

    service.child.kill('SIGTERM');
    await waitFor(() => service.output().includes('readiness is 503'), 'shutdown began');
    await expect(client.synthesize({ text: 'too late' })).rejects.toMatchObject({
      code: 'SHUTTING_DOWN',
      retryable: true,
    });
    expect(await inFlight).toMatchObject({ ok: true, requestId: 'last' });
    expect(await disconnected).toBe('io server disconnect');
    expect(await service.exited).toBe(0);
    expect(emulator.stats().connectionsOpen).toBe(0);
    const [, created, destroyed] = /tts created (\d+) destroyed (\d+)/.exec(service.output()) ?? [];
    expect(destroyed).toBe(created);
  });
});
