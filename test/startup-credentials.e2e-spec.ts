import { startEmulator, type RunningEmulator } from '../src/emulator';
import { freePort, spawnService } from './support/service-process';

describe('start-up against an upstream that rejects the key (e2e, real main.ts)', () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, voice: 'synthetic' });
    emulator.setFaults({ requireKey: 'the-right-key' });
  });
  afterAll(() => emulator.close());

  it('exits non-zero saying the credentials were rejected, without showing the key', async () => {
    const service = spawnService({
      PORT: String(await freePort()),
      AZURE_SPEECH_HOST: emulator.url,
      AZURE_SPEECH_KEY: 'a-wrong-key',
      LOG_LEVEL: 'info',
    });
    try {
      expect(await service.exited).not.toBe(0);
      expect(service.output()).toMatch(/rejected the credentials/);
      expect(service.output()).not.toContain('a-wrong-key');
      expect(emulator.stats().connectionsOpen).toBe(0);
    } finally {
      service.child.kill('SIGKILL');
    }
  }, 90_000);
});
