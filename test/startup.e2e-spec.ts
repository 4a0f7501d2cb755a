import { expect } from '@jest/globals';
import { join } from 'node:path';
import { jsonLines, spawnBuiltService } from './support/process/built-service';
import { freePort } from './support/process/service-process';

const PRELOAD = join(__dirname, 'support', 'process', 'node-events.preload.js');

describe('start-up failures (e2e, built service)', () => {
  it('prints one JSON line naming every bad variable, never a secret, and exits 1', async () => {
    const service = spawnBuiltService({
      PORT: 'abc',
      SPEECH_EMULATOR: 'off',
      AZURE_SPEECH_KEY: 'sk-do-not-print',
      SPEECH_POOL_MAXSIZE: '4',
      FORCE_COLOR: '1',
    });
    expect(await service.exited).toBe(1);
    expect(service.stderr()).toBe('');
    const lines = jsonLines(service.stdout());
    expect(lines.map((l) => [l.level, l.context])).toEqual([
      ['warn', 'Config'],
      ['fatal', 'Config'],
    ]);
    expect(lines[0]?.msg).toMatch(/SPEECH_POOL_MAXSIZE \(did you mean SPEECH_POOL_MAX_SIZE\?\)/);
    const error = lines[1];
    expect(error.msg.split('\n')).toEqual([
      'Invalid configuration (3 problems); see .env.example:',
      '  PORT: must be a whole number from 0 to 65535 (got "abc")',
      expect.stringMatching(/^ {2}AZURE_SPEECH_KEY: is set without AZURE_SPEECH_REGION/),
      expect.stringMatching(/^ {2}SPEECH_EMULATOR: is off/),
    ]);
    expect(error.problems).toEqual([
      { variable: 'PORT', message: expect.any(String) },
      { variable: 'AZURE_SPEECH_KEY', message: expect.any(String) },
      { variable: 'SPEECH_EMULATOR', message: expect.any(String) },
    ]);
    expect(service.stdout()).not.toContain('sk-do-not-print');
    expect(service.stdout()).not.toContain('\u001b[');
  }, 60_000);

  it('with LOG_FORMAT=pretty prints readable lines, without colour codes when not on a terminal', async () => {
    const service = spawnBuiltService({ LOG_FORMAT: 'pretty', SPEECH_POOL_MAX_SIZE: 'lots' });
    expect(await service.exited).toBe(1);
    expect(service.stderr()).toBe('');
    const out = service.stdout();
    expect(out).toMatch(
      /^\[[\d:.]+\] FATAL: \[Config\] Invalid configuration \(1 problem\); see \.env\.example:$/m,
    );
    expect(out).toMatch(/^ {2}SPEECH_POOL_MAX_SIZE: must be a whole number from 1 to 10000 \(got "lots"\)$/m);
    expect(out).not.toContain('{"level"');
    expect(out).not.toContain('\u001b[');
  }, 60_000);

  it('says so when the limit a set value exceeds is a default', async () => {
    const service = spawnBuiltService({ SPEECH_POOL_TTS_WARM_SIZE: '100' });
    expect(await service.exited).toBe(1);
    const [line] = jsonLines(service.stdout());
    expect(line?.problems).toEqual([
      {
        variable: 'SPEECH_POOL_TTS_WARM_SIZE',
        message:
          'tts warm size 100 exceeds its max size 64 (the default, as neither SPEECH_POOL_TTS_MAX_SIZE nor ' +
          'SPEECH_POOL_MAX_SIZE is set)',
      },
    ]);
  }, 60_000);

  it("logs a crash as one fatal JSON line instead of Node's stack trace, and exits 1", async () => {
    const service = spawnBuiltService({
      PORT: String(await freePort()),
      LOG_LEVEL: 'info',
      NODE_OPTIONS: `--require ${PRELOAD}`,
      WARMLINE_TEST_NODE_EVENT: 'crash',
    });
    expect(await service.exited).toBe(1);
    expect(service.stderr()).toBe('');
    const lines = jsonLines(service.stdout());
    expect(lines.filter((l) => l.level === 'fatal')).toEqual([lines.at(-1)]);
    expect(lines.at(-1)).toMatchObject({
      msg: 'crashed (uncaughtException): a test crash',
      err: { message: 'a test crash', stack: expect.stringContaining('node-events.preload.js') },
    });
  }, 60_000);
});
