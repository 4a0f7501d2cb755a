import { expect } from '@jest/globals';
import { startEmulator, type RunningEmulator } from '../src/emulator';
import { startConnectProxy, type ConnectProxy } from './support/connect-proxy';
import { startRealService, type RealService } from './support/app/real-service';

jest.setTimeout(60_000);

describe('HTTPS_PROXY and NO_PROXY for the Speech connections and the voice list (e2e)', () => {
  let emulator: RunningEmulator;
  let proxy: ConnectProxy;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, voice: 'synthetic' });
    proxy = await startConnectProxy();
  });
  afterAll(async () => {
    await proxy?.close();
    await emulator?.close();
  });

  function env(extra: Record<string, string> = {}): Record<string, string> {
    return {
      AZURE_SPEECH_HOST: emulator.url,
      AZURE_SPEECH_KEY: 'k',
      SPEECH_EMULATOR: 'off',
      SPEECH_POOL_WARM_SIZE: '1',
      HTTPS_PROXY: proxy.url,
      ...extra,
    };
  }

  it('tunnels every Speech connection and the voice list through the proxy', async () => {
    const service: RealService = await startRealService(env());
    try {
      const target = `127.0.0.1:${emulator.port}`;
      // The credential check, both pools and the voice list: nothing reached the emulator any other way.
      expect(proxy.tunnels.length).toBeGreaterThanOrEqual(4);
      expect(new Set(proxy.tunnels)).toEqual(new Set([target]));
      // One tunnel per websocket, and one more for the voice list (plain HTTP).
      expect(proxy.tunnels.length).toBeGreaterThan(emulator.stats().connectionsTotal);
      const voices = await fetch(`${service.url}/api/v1/voices`);
      expect(voices.status).toBe(200);
      const before = proxy.tunnels.length;
      const tts = await fetch(`${service.url}/api/v1/tts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: 'Through the proxy.' }),
      });
      expect(tts.status).toBe(200);
      await tts.arrayBuffer();
      expect(proxy.tunnels.length).toBeGreaterThanOrEqual(before); // a WARM client: its tunnel was already open
    } finally {
      await service.close();
    }
  });

  it('connects directly to a host NO_PROXY names', async () => {
    const before = proxy.tunnels.length;
    const service = await startRealService(env({ NO_PROXY: 'localhost,127.0.0.1' }));
    try {
      expect((await fetch(`${service.url}/health/ready`)).status).toBe(200);
      expect((await fetch(`${service.url}/api/v1/voices`)).status).toBe(200);
      expect(proxy.tunnels.length).toBe(before);
    } finally {
      await service.close();
    }
  });
});
