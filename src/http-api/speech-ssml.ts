import { escapeXml, voiceLocale } from '../speech/ssml';

/** The speaking rates Azure voices accept, as multipliers of the normal rate. */
export const MIN_PROSODY_RATE = 0.5;
export const MAX_PROSODY_RATE = 3;

/**
 * Plain text as SSML spoken at `rate` times the normal speed (`<prosody rate>`), every markup character escaped.
 * Rates outside what the voices accept are clamped to the nearest they do.
 */
export function textToSsmlAtRate(text: string, voice: string, rate: number): string {
  const clamped = Math.min(MAX_PROSODY_RATE, Math.max(MIN_PROSODY_RATE, rate));
  const multiplier = String(Math.round(clamped * 100) / 100);
  return (
    `<speak version="1.0" xmlns="http://www.w3.org/2001/10/synthesis" xml:lang="${escapeXml(voiceLocale(voice))}">` +
    `<voice name="${escapeXml(voice)}"><prosody rate="${multiplier}">${escapeXml(text)}</prosody></voice></speak>`
  );
}
