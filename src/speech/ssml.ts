/** Escapes text for XML element content and attribute values. */
export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** The locale a voice speaks, from its name (`en-US-JennyNeural` → `en-US`); `en-US` when the name has none. */
export function voiceLocale(voice: string): string {
  return /^([a-z]{2,3}-[A-Z]{2})-/.exec(voice)?.[1] ?? 'en-US';
}

/** The speaking rates the service's voices accept (`<prosody rate>`), as multipliers of the normal rate. */
export const MIN_PROSODY_RATE = 0.5;
export const MAX_PROSODY_RATE = 3;

/** `rate` as the voices can speak it: clamped to what they accept, to two decimals. */
export function prosodyRate(rate: number): number {
  return Math.round(Math.min(MAX_PROSODY_RATE, Math.max(MIN_PROSODY_RATE, rate)) * 100) / 100;
}

/**
 * Plain text becomes SSML with every markup character escaped, so it is spoken literally; at a speaking `rate`
 * other than 1 (clamped, see prosodyRate) inside a `<prosody rate>`; in a speaking `style` inside the service's
 * `<mstts:express-as>`.
 */
export function textToSsml(text: string, voice: string, rate = 1, style?: string): string {
  const lang = voiceLocale(voice);
  let spoken =
    rate === 1 ? escapeXml(text) : `<prosody rate="${prosodyRate(rate)}">${escapeXml(text)}</prosody>`;
  if (style !== undefined)
    spoken = `<mstts:express-as style="${escapeXml(style)}">${spoken}</mstts:express-as>`;
  const mstts = style === undefined ? '' : ' xmlns:mstts="https://www.w3.org/2001/mstts"';
  return (
    `<speak version="1.0" xmlns="http://www.w3.org/2001/10/synthesis"${mstts} xml:lang="${escapeXml(lang)}">` +
    `<voice name="${escapeXml(voice)}">${spoken}</voice></speak>`
  );
}
