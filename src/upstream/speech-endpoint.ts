import { Logger } from '@nestjs/common';
import { startEmulator, type EmulatorLogger } from '../emulator';
import { describeSpeechTarget, type SpeechTarget } from '../speech/speech-target';
import type { UpstreamTarget } from './upstream-options';

/** The resolved upstream, plus how to release it (the embedded emulator is ours to stop). */
export interface SpeechEndpoint {
  target: SpeechTarget;
  /** Set when the upstream is the embedded emulator: what its speech sounds like. */
  emulatorVoice?: 'espeak' | 'synthetic';
  close(): Promise<void>;
}

/** The emulator's log lines through the application's logger, its fields kept as fields. */
function emulatorLogger(logger: Logger): EmulatorLogger {
  const fields = (msg: string, extra?: Record<string, unknown>) => ({ ...extra, msg: `emulator: ${msg}` });
  return {
    debug: (msg, extra) => logger.debug(fields(msg, extra)),
    info: (msg, extra) => logger.log(fields(msg, extra)),
    warn: (msg, extra) => logger.warn(fields(msg, extra)),
  };
}

export function describeEmulatorVoice(voice: 'espeak' | 'synthetic'): string {
  return voice === 'espeak' ? 'espeak-ng voice' : 'synthetic voice (install espeak-ng for real speech)';
}

export async function openSpeechEndpoint(target: UpstreamTarget, logger: Logger): Promise<SpeechEndpoint> {
  if (target.kind !== 'emulator') {
    logger.debug(`speech clients connect to ${describeSpeechTarget(target)}`);
    return { target, close: () => Promise.resolve() };
  }
  const emulator = await startEmulator({ port: 0, host: '127.0.0.1', logger: emulatorLogger(logger) });
  const resolved: SpeechTarget = { kind: 'host', url: emulator.url, key: 'emulator', embeddedEmulator: true };
  logger.warn(
    `no Azure settings (AZURE_SPEECH_KEY + AZURE_SPEECH_REGION, or AZURE_SPEECH_HOST): speech comes from the ` +
      `built-in emulator at ${emulator.url} with its ${describeEmulatorVoice(emulator.voice)}, not from Azure`,
  );
  return { target: resolved, emulatorVoice: emulator.voice, close: () => emulator.close() };
}
