import { expect } from '@jest/globals';
import { startEmulator, type RunningEmulator } from '../src/emulator';
import { jsonLines, spawnBuiltService } from './support/process/built-service';
import { freePort } from './support/process/service-process';

describe('start-up against an upstream that rejects the key (e2e, built service)', () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, voice: 'synthetic' });
    emulator.setFaults({ requireKey: 'the-right-key' });
  });
  afterAll(() => emulator.close());

  it('exits 1 with one JSON line saying the credentials were rejected, without showing the key', async () => {
    const service = spawnBuiltService({
      PORT: String(await freePort()),
      AZURE_SPEECH_HOST: emulator.url,
      AZURE_SPEECH_KEY: 'a-wrong-key',
      LOG_LEVEL: 'info',
    });
    try {
      expect(await service.exited).toBe(1);
      expect(service.stderr()).toBe('');
      const fatal = jsonLines(service.stdout()).filter((l) => l.level === 'fatal');
      expect(fatal).toEqual([
        expect.objectContaining({
          context: 'Startup',
          msg: expect.stringMatching(/rejected the credentials/),
        }),
      ]);
      expect(service.stdout()).not.toContain('a-wrong-key');
      expect(emulator.stats().connectionsOpen).toBe(0);
    } finally {
      service.child.kill('SIGKILL');
    }
  }, 90_000);
});
