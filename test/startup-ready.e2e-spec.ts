import { expect } from '@jest/globals';
import { join } from 'node:path';
import { NEST_BOILERPLATE_CONTEXTS } from '../src/logging/nest-logger';
import { jsonLines, spawnBuiltService, waitForLine, type LogLine } from './support/process/built-service';
import { freePort } from './support/process/service-process';

describe('start-up and shutdown output (e2e, built service)', () => {
  it('says what it runs in one summary line, warns about a misspelt variable, and shuts down cleanly', async () => {
    const port = await freePort();
    const service = spawnBuiltService({
      PORT: String(port),
      LOG_LEVEL: 'info',
      SPEECH_POOL_MAX_SIZE: '1',
      SPEECH_POOL_WARMSIZE: '3',
      VOICE_API_KEYS: 'first-key-0123456789,second-key-0123456789',
      // Node's own warnings are log lines too.
      NODE_OPTIONS: `--require ${join(__dirname, 'support', 'process', 'node-events.preload.js')}`,
      WARMLINE_TEST_NODE_EVENT: 'warning',
    });
    try {
      const summary = await waitForLine(service, (l) => l.context === 'Startup' && l.startup !== undefined);
      const res = await fetch(`http://localhost:${port}/health/ready`);
      expect(res.status).toBe(200);
      expect(res.headers.get('x-powered-by')).toBeNull();
      // The voice list says the speech is the built-in emulator's (the demo page shows it).
      const voices = await fetch(`http://localhost:${port}/api/v1/voices`, {
        headers: { authorization: 'Bearer first-key-0123456789' },
      });
      expect(((await voices.json()) as { upstream: unknown }).upstream).toEqual({
        emulator: true,
        emulatorVoice: expect.stringMatching(/^(espeak|synthetic)$/),
      });

      expect(summary).toMatchObject({
        level: 'info',
        startup: {
          url: `http://localhost:${port}`,
          upstream: expect.stringMatching(/^embedded speech emulator at ws:\/\/127\.0\.0\.1:\d+$/),
          emulatorVoice: expect.stringMatching(/^(espeak|synthetic)$/),
          // SPEECH_POOL_MAX_SIZE=1 alone: the warm size default follows it instead of failing.
          pools: {
            tts: { warmSize: 1, warmMax: 1, maxSize: 1 },
            stt: { warmSize: 1, warmMax: 1, maxSize: 1 },
          },
          auth: 'api-keys',
        },
      });
      expect(summary.msg).toMatch(
        new RegExp(
          `^warmline ready at http://localhost:${port} \\(dashboard: http://localhost:${port}/dashboard\\); upstream: embedded speech emulator at \\S+ ` +
            `\\((espeak-ng|synthetic) voice.*\\); pools: tts warm 1-1, max 1, stt warm 1-1, max 1; ` +
            `voice clients: 2 API keys \\(VOICE_API_KEYS\\)$`,
        ),
      );

      service.child.kill('SIGTERM');
      expect(await service.exited).toBe(0);
      expect(service.stderr()).toBe('');
      const lines = jsonLines(service.stdout());
      const warnings = lines.filter((l) => l.context === 'Config');
      expect(warnings).toEqual([
        expect.objectContaining({
          level: 'warn',
          msg: expect.stringContaining('SPEECH_POOL_WARMSIZE (did you mean SPEECH_POOL_WARM_SIZE?)'),
        }),
      ]);
      expect(lines).toContainEqual(
        expect.objectContaining({
          level: 'warn',
          msg: 'node: a test warning',
          err: expect.objectContaining({ code: 'DEP_TEST' }),
        }),
      );
      const boilerplate = (l: LogLine) => l.context !== undefined && NEST_BOILERPLATE_CONTEXTS.has(l.context);
      expect(lines.filter(boilerplate)).toEqual([]);
      expect(lines.filter((l) => l.context === 'Startup')).toHaveLength(1);
      expect(lines.at(-1)?.msg).toMatch(
        /^pools shut down \(tts created (\d+) destroyed \1; stt created (\d+) destroyed \2\)$/,
      );
    } finally {
      service.child.kill('SIGKILL');
    }
  }, 120_000);

  it('shows Nest boilerplate at LOG_LEVEL=debug', async () => {
    const service = spawnBuiltService({ PORT: String(await freePort()), LOG_LEVEL: 'debug' });
    try {
      await waitForLine(service, (l) => l.context === 'Startup' && l.startup !== undefined);
      service.child.kill('SIGTERM');
      expect(await service.exited).toBe(0);
      const lines = jsonLines(service.stdout());
      expect(lines).toContainEqual(expect.objectContaining({ level: 'debug', context: 'InstanceLoader' }));
      expect(lines).toContainEqual(expect.objectContaining({ level: 'debug', context: 'RouterExplorer' }));
    } finally {
      service.child.kill('SIGKILL');
    }
  }, 120_000);
});
