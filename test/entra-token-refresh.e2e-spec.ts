import { expect, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { startEmulator, type RunningEmulator } from '../src/emulator';
import type { ResourcePool } from '../src/pools';
import { TTS_POOL } from '../src/speech-pools/pool-tokens';
import { textToSsml } from '../src/speech/ssml';
import type { TtsClient } from '../src/speech/tts-client';
import { startRealService, type RealService } from './support/app/real-service';
import { waitFor } from './support/wait-for';

jest.setTimeout(120_000);

const VOICE = 'en-US-JennyNeural';
const RESOURCE_ID =
  '/subscriptions/0000/resourceGroups/speech-rg/providers/Microsoft.CognitiveServices/accounts/my-speech';

/** Entra ID on the emulator's own upstream: every upgrade must present a token it issued and that is unexpired. */
function entraEnv(speech: RunningEmulator): Record<string, string> {
  return {
    AZURE_SPEECH_AUTH: 'entra',
    AZURE_SPEECH_RESOURCE_ID: RESOURCE_ID,
    AZURE_SPEECH_HOST: speech.url,
    AZURE_SPEECH_TOKEN_REFRESH_SKEW: '1',
    SPEECH_EMULATOR: 'off',
    SPEECH_POOL_WARM_SIZE: '2',
  };
}

async function tts(service: RealService, text: string): Promise<number> {
  const response = await fetch(`${service.url}/api/v1/tts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ text, format: 'wav-16k' }),
  });
  await response.arrayBuffer();
  return response.status;
}

async function readiness(service: RealService): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${service.url}/health/ready`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/**
 * Real `@azure/identity` (DefaultAzureCredential, which finds App Service's managed identity through
 * IDENTITY_ENDPOINT and IDENTITY_HEADER) against the emulator's identity endpoint. MSAL keeps the identity
 * endpoint it found for the whole process, so every test here uses the same address: `identityPort`.
 */
describe('Entra ID with token refresh on pooled clients (e2e)', () => {
  let identityPort: number;
  const saved = { endpoint: process.env.IDENTITY_ENDPOINT, header: process.env.IDENTITY_HEADER };

  beforeAll(async () => {
    const probe = await startEmulator({ port: 0, voice: 'synthetic' });
    identityPort = probe.port;
    await probe.close();
    process.env.IDENTITY_ENDPOINT = `http://127.0.0.1:${identityPort}/msi/token`;
    process.env.IDENTITY_HEADER = 'test-identity-header';
  });
  afterAll(() => {
    for (const [name, value] of [
      ['IDENTITY_ENDPOINT', saved.endpoint],
      ['IDENTITY_HEADER', saved.header],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  describe('5 s tokens', () => {
    let emulator: RunningEmulator;
    let service: RealService;
    let pool: ResourcePool<TtsClient>;

    beforeAll(async () => {
      emulator = await startEmulator({ port: identityPort, voice: 'synthetic' });
      emulator.setFaults({ tokenTtlMs: 5_000, requireToken: true });
      service = await startRealService(entraEnv(emulator));
      pool = service.app.get(TTS_POOL);
    });
    afterAll(async () => {
      await service?.close();
      await emulator?.close();
    });

    it('fills the pools with clients on Entra ID tokens, and is ready with a valid credential', async () => {
      expect(pool.snapshot()).toMatchObject({ ready: true, warmPoolSize: 2 });
      const { status, body } = await readiness(service);
      expect(status).toBe(200);
      expect(body).toMatchObject({ info: { credential: { status: 'up', kind: 'entra' } } });
      expect(JSON.stringify(body)).not.toMatch(/emulator-|aad#/);
      expect(emulator.stats().rejectedTotal).toBe(0);
    });

    it('idle warm, dedicated and in-use clients whose sockets dropped outlive their first token: no request fails, no upgrade is refused', async () => {
      const dedicated = await pool.acquireForSession('session-1');
      await dedicated.resource.synthesize({ ssml: textToSsml('Mine.', VOICE) });
      await pool.sessionIdle('session-1');
      const inUse = await pool.acquire();
      const firstTokenGone = Date.now() + 5_000;
      // Every idle socket is dropped at once from now on: each client must reconnect, on a token issued later.
      emulator.setFaults({ tokenTtlMs: 5_000, requireToken: true, idleTimeoutMs: 500 });
      const issued = emulator.tokensIssued();
      await waitFor(
        () => Date.now() > firstTokenGone && emulator.tokensIssued() >= issued + 2,
        'two refreshes',
        20_000,
      );
      expect(emulator.stats().connectionsOpen).toBe(0);
      // Every socket is gone; no more drops, so a reconnect cannot race an idle close.
      emulator.setFaults({ tokenTtlMs: 5_000, requireToken: true });

      const again = await pool.acquireForSession('session-1');
      expect(again).toMatchObject({ tier: 'dedicated', resource: dedicated.resource });
      await expect(
        again.resource.synthesize({ ssml: textToSsml('Still mine.', VOICE) }),
      ).resolves.toMatchObject({
        bytes: expect.any(Number),
      });
      await pool.releaseForSession('session-1');
      await expect(inUse.synthesize({ ssml: textToSsml('Held all along.', VOICE) })).resolves.toMatchObject({
        canceled: false,
      });
      await pool.release(inUse);
      const statuses = await Promise.all([1, 2, 3].map((i) => tts(service, `Warm client ${i}.`)));
      expect(statuses).toEqual([200, 200, 200]);
      expect(emulator.stats().rejectedTotal).toBe(0);
      expect(pool.snapshot().metrics.factoryFailures).toBe(0);
    });
  });

  it('a wrong identity endpoint: a clear log line, readiness 503, no crash; recovery once it answers', async () => {
    // The speech upstream takes any token; the identity endpoint is down until the end.
    const speech = await startEmulator({ port: 0, voice: 'synthetic' });
    const warnings = jest.spyOn(Logger.prototype, 'warn');
    const service = await startRealService(entraEnv(speech));
    let identity: RunningEmulator | undefined;
    try {
      const down = await readiness(service);
      expect(down.status).toBe(503);
      expect(down.body).toMatchObject({
        error: { credential: { status: 'down', reason: expect.stringMatching(/no valid Entra ID token/) } },
      });
      expect(await tts(service, 'Not now.')).toBe(502);
      const lines = warnings.mock.calls.map((call) => String(call[0]));
      expect(lines.filter((line) => line.startsWith('Entra ID credential failed'))).toEqual([
        expect.stringMatching(/no valid token remains: readiness is down/),
      ]);

      identity = await startEmulator({ port: identityPort, voice: 'synthetic' });
      const deadline = Date.now() + 60_000;
      while ((await readiness(service)).status !== 200) {
        if (Date.now() > deadline) throw new Error('readiness did not come back');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(warnings.mock.calls.map((call) => String(call[0])).join('\n')).not.toMatch(/emulator-|aad#/);
      expect(await tts(service, 'Back again.')).toBe(200);
    } finally {
      warnings.mockRestore();
      await service.close();
      await identity?.close();
      await speech.close();
    }
  });
});
