/** One entry of the service's voice list (`GET /cognitiveservices/voices/list`), the fields the SDK reads. */
export interface VoiceListEntry {
  Name: string;
  DisplayName: string;
  LocalName: string;
  ShortName: string;
  Gender: 'Female' | 'Male';
  Locale: string;
  LocaleName: string;
  SampleRateHertz: string;
  VoiceType: 'Neural';
  Status: 'GA';
  /** The speaking styles `<mstts:express-as>` takes for the voice; absent when it has none. */
  StyleList?: string[];
}

const LOCALE_NAMES: Record<string, string> = {
  'en-US': 'English (United States)',
  'en-GB': 'English (United Kingdom)',
  'en-AU': 'English (Australia)',
  'de-DE': 'German (Germany)',
  'fr-FR': 'French (France)',
  'es-ES': 'Spanish (Spain)',
  'es-MX': 'Spanish (Mexico)',
  'it-IT': 'Italian (Italy)',
  'pt-BR': 'Portuguese (Brazil)',
  'nl-NL': 'Dutch (Netherlands)',
  'ja-JP': 'Japanese (Japan)',
  'zh-CN': 'Chinese (Mandarin, Simplified)',
  'fil-PH': 'Filipino (Philippines)',
};

/**
 * Every voice the emulator speaks: common Azure voice names, the SDK's default voices for these locales (what
 * `speakTextAsync` picks when no voice is configured), and a few other locales. Any other name is refused the
 * way the service refuses an unknown voice.
 */
const VOICES: ReadonlyArray<[locale: string, name: string, gender: 'Female' | 'Male']> = [
  ['en-US', 'JennyNeural', 'Female'],
  ['en-US', 'AvaNeural', 'Female'],
  ['en-US', 'AvaMultilingualNeural', 'Female'],
  ['en-US', 'AndrewNeural', 'Male'],
  ['en-US', 'AndrewMultilingualNeural', 'Male'],
  ['en-US', 'Andrew:DragonHDLatestNeural', 'Male'],
  ['en-US', 'GuyNeural', 'Male'],
  ['en-US', 'AriaNeural', 'Female'],
  ['en-US', 'EmmaNeural', 'Female'],
  ['en-US', 'BrianNeural', 'Male'],
  ['en-GB', 'RyanNeural', 'Male'],
  ['en-GB', 'SoniaNeural', 'Female'],
  ['en-GB', 'LibbyNeural', 'Female'],
  ['en-AU', 'NatashaNeural', 'Female'],
  ['en-AU', 'WilliamNeural', 'Male'],
  ['de-DE', 'KatjaNeural', 'Female'],
  ['de-DE', 'ConradNeural', 'Male'],
  ['fr-FR', 'DeniseNeural', 'Female'],
  ['fr-FR', 'HenriNeural', 'Male'],
  ['es-ES', 'ElviraNeural', 'Female'],
  ['es-ES', 'AlvaroNeural', 'Male'],
  ['es-MX', 'DaliaNeural', 'Female'],
  ['it-IT', 'ElsaNeural', 'Female'],
  ['pt-BR', 'FranciscaNeural', 'Female'],
  ['nl-NL', 'ColetteNeural', 'Female'],
  ['ja-JP', 'NanamiNeural', 'Female'],
  ['zh-CN', 'XiaoxiaoNeural', 'Female'],
  ['fil-PH', 'AngeloNeural', 'Male'],
];

/**
 * The styles the emulator lists for a few voices, as the service lists them for these voices (the emulator speaks
 * every style the same way; the list is what clients discover).
 */
const EMOTIONS = ['angry', 'cheerful', 'excited', 'friendly', 'hopeful', 'sad', 'shouting', 'terrified'];
const STYLES: Readonly<Record<string, string[]>> = {
  'en-US-JennyNeural': [
    'assistant',
    'chat',
    'customerservice',
    'newscast',
    ...EMOTIONS,
    'unfriendly',
    'whispering',
  ],
  'en-US-AriaNeural': [
    'chat',
    'customerservice',
    'empathetic',
    'narration-professional',
    'newscast-casual',
    ...EMOTIONS,
  ],
  'en-US-GuyNeural': ['newscast', ...EMOTIONS, 'unfriendly', 'whispering'],
};

export const EMULATOR_VOICES: readonly VoiceListEntry[] = VOICES.map(([locale, name, gender]) => {
  const displayName = name.replace(/(:.*)?(Multilingual)?Neural$/, '');
  return {
    Name: `Microsoft Server Speech Text to Speech Voice (${locale}, ${name})`,
    DisplayName: displayName,
    LocalName: displayName,
    ShortName: `${locale}-${name}`,
    Gender: gender,
    Locale: locale,
    LocaleName: LOCALE_NAMES[locale],
    SampleRateHertz: '48000',
    VoiceType: 'Neural',
    Status: 'GA',
    ...(STYLES[`${locale}-${name}`] === undefined ? {} : { StyleList: STYLES[`${locale}-${name}`] }),
  };
});

const BY_NAME = new Map<string, VoiceListEntry>(
  EMULATOR_VOICES.flatMap((voice) => [
    [voice.ShortName.toLowerCase(), voice],
    [voice.Name.toLowerCase(), voice],
  ]),
);

/** The voice by its short (`en-US-JennyNeural`) or long name, ignoring case; undefined when there is none. */
export function findEmulatorVoice(name: string): VoiceListEntry | undefined {
  return BY_NAME.get(name.trim().toLowerCase());
}
