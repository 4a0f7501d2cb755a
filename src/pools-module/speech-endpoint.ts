import { Logger } from '@nestjs/common';
import { startEmulator } from '../emulator';
import { describeSpeechTarget, type SpeechTarget } from '../speech/speech-target';
import type { PoolsSpeechTarget } from './pools-module-options';

/** The resolved upstream, plus how to release it (the embedded emulator is ours to stop). */
export interface SpeechEndpoint {
  target: SpeechTarget;
  close(): Promise<void>;
}

export const SPEECH_ENDPOINT = Symbol('SPEECH_ENDPOINT');

export async function openSpeechEndpoint(target: PoolsSpeechTarget, logger: Logger): Promise<SpeechEndpoint> {
  if (target.kind !== 'emulator') {
    logger.log(`speech clients connect to ${describeSpeechTarget(target)}`);
    return { target, close: () => Promise.resolve() };
  }
  const emulator = await startEmulator({ port: 0, host: '127.0.0.1' });
  const resolved: SpeechTarget = { kind: 'host', url: emulator.url, key: 'emulator', embeddedEmulator: true };
  logger.warn(
    `no Azure settings (AZURE_SPEECH_KEY + AZURE_SPEECH_REGION, or AZURE_SPEECH_HOST): started the built-in speech ` +
      `emulator at ${emulator.url} — speech comes from the emulator, not Azure`,
  );
  return { target: resolved, close: () => emulator.close() };
}
