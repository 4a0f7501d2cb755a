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

/** Plain text becomes SSML with every markup character escaped, so it is spoken literally. */
export function textToSsml(text: string, voice: string): string {
  const lang = voiceLocale(voice);
  return (
    `<speak version="1.0" xmlns="http://www.w3.org/2001/10/synthesis" xml:lang="${escapeXml(lang)}">` +
    `<voice name="${escapeXml(voice)}">${escapeXml(text)}</voice></speak>`
  );
}
