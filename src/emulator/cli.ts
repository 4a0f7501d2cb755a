#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { createStderrLogger, EmulatorLogLevel } from './emulator-logger';
import { startEmulator } from './emulator-server';
import { VoiceMode } from './synthesis/voice-selection';

const USAGE = `Usage: npm run emulator -- [--port 5099] [--host 127.0.0.1] [--voice auto|espeak|synthetic] [--log-level debug|info|warn|silent]`;
const VOICES: VoiceMode[] = ['auto', 'espeak', 'synthetic'];
const LEVELS: EmulatorLogLevel[] = ['debug', 'info', 'warn', 'silent'];

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  let values: { port?: string; host?: string; voice?: string; 'log-level'?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string', short: 'p' },
        host: { type: 'string' },
        voice: { type: 'string' },
        'log-level': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (e) {
    fail((e as Error).message);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const port = values.port === undefined ? 5099 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`Invalid --port ${values.port}`);
  const voice = (values.voice ?? 'auto') as VoiceMode;
  if (!VOICES.includes(voice)) fail(`Invalid --voice ${values.voice}`);
  const level = (values['log-level'] ?? 'info') as EmulatorLogLevel;
  if (!LEVELS.includes(level)) fail(`Invalid --log-level ${values['log-level']}`);

  const logger = createStderrLogger(level);
  const emulator = await startEmulator({ port, host: values.host, voice, logger });
  process.stdout.write(
    `Speech emulator listening on ${emulator.url} (control plane ${emulator.httpUrl}/emulator/stats); ` +
      `SpeechConfig.fromHost(new URL('${emulator.url}'), 'any-key')\n`,
  );

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal}: closing`);
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
    setTimeout(() => process.exit(1), 5_000).unref();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((e: unknown) => {
  process.stderr.write(`speech emulator failed to start: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
