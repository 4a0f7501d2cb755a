import { SpeechConfig } from 'microsoft-cognitiveservices-speech-sdk';

/**
 * Where speech clients connect. `azure` = the public service by key + region; `host` = any endpoint speaking the
 * Speech protocol (on-prem Speech containers, the emulator), reached with `SpeechConfig.fromHost` because
 * `fromEndpoint` probes port 443 first (docs/speech-sdk-notes.md).
 */
export type SpeechTarget =
  | { kind: 'azure'; key: string; region: string }
  | { kind: 'host'; url: string; key?: string; embeddedEmulator?: boolean };

export function createSpeechConfig(target: SpeechTarget): SpeechConfig {
  if (target.kind === 'azure') return SpeechConfig.fromSubscription(target.key, target.region);
  const url = new URL(target.url);
  return target.key ? SpeechConfig.fromHost(url, target.key) : SpeechConfig.fromHost(url);
}

/** A description of the target that is safe to log: never the key. */
export function describeSpeechTarget(target: SpeechTarget): string {
  if (target.kind === 'azure') return `Azure Speech (region ${target.region})`;
  return target.embeddedEmulator ? `embedded speech emulator at ${target.url}` : `Speech host ${target.url}`;
}

/** Removes the key from text that may embed a request URL (SDK error details carry the query string). */
export function redactSecrets(text: string, target: SpeechTarget): string {
  let out = text.replace(
    /((?:subscription-key|Ocp-Apim-Subscription-Key|authorization)=)[^&\s"']+/gi,
    '$1***',
  );
  if (target.key && target.key.length >= 4) out = out.split(target.key).join('***');
  return out;
}
