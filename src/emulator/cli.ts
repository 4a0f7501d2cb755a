#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { createStderrLogger, EmulatorLogLevel } from './emulator-logger';
import { startEmulator } from './emulator-server';
import { VoiceMode } from './synthesis/voice-selection';

const USAGE = `usage: npm run emulator -- [options]

The speech emulator alone: the Azure Speech websocket protocol for the unmodified Speech SDK, and its control plane.

options:
  -p, --port P         port (default 5099; 0 picks a free one)
  --host H             interface (default 127.0.0.1)
  --voice V            auto | espeak | synthetic (default auto: espeak-ng when installed)
  --log-level L        debug | info | warn | silent (default info)
  -h, --help           this text`;
const VOICES: readonly VoiceMode[] = ['auto', 'espeak', 'synthetic'];
const LEVELS: readonly EmulatorLogLevel[] = ['debug', 'info', 'warn', 'silent'];

/**
 * The emulator stands alone (it imports nothing else of warmline), so this is its own copy of the command-line
 * front the other CLIs share from src/cli: the same messages, --help on stdout with exit 0, usage errors exit 2.
 */
function usageError(message: string): never {
  process.stderr.write(`error: ${message}\n\n${USAGE}\n`);
  process.exit(2);
}

function oneOf<T extends string>(name: string, value: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(value)) {
    usageError(`--${name} must be one of ${choices.join(', ')} (got ${JSON.stringify(value)})`);
  }
  return value as T;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const end = argv.indexOf('--');
  if ((end < 0 ? argv : argv.slice(0, end)).some((arg) => arg === '--help' || arg === '-h')) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  let values: { port: string; host?: string; voice: string; 'log-level': string };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string', short: 'p', default: '5099' },
        host: { type: 'string' },
        voice: { type: 'string', default: 'auto' },
        'log-level': { type: 'string', default: 'info' },
      },
      strict: true,
    }));
  } catch (e) {
    usageError((e as Error).message);
  }
  const port = Number(values.port);
  if (values.port.trim() === '' || !Number.isInteger(port) || port < 0 || port > 65535) {
    usageError(`--port must be an integer from 0 to 65535 (got ${JSON.stringify(values.port)})`);
  }
  const voice = oneOf('voice', values.voice, VOICES);
  const level = oneOf('log-level', values['log-level'], LEVELS);

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
