/** The six voice names of OpenAI's speech API. */
export const OPENAI_VOICE_NAMES = ['alloy', 'echo', 'fable', 'onyx', 'nova', 'shimmer'] as const;
export type OpenAiVoiceName = (typeof OPENAI_VOICE_NAMES)[number];

/** The Azure voice each stands for unless OPENAI_VOICE_MAP says otherwise (close in gender and register). */
export const DEFAULT_OPENAI_VOICES: Readonly<Record<OpenAiVoiceName, string>> = {
  alloy: 'en-US-AvaNeural',
  echo: 'en-US-AndrewNeural',
  fable: 'en-GB-RyanNeural',
  onyx: 'en-US-GuyNeural',
  nova: 'en-US-JennyNeural',
  shimmer: 'en-US-AriaNeural',
};

/** An OpenAI voice name becomes its configured Azure voice; anything else is taken as an Azure voice name. */
export function azureVoiceFor(voice: string, map: Readonly<Record<OpenAiVoiceName, string>>): string {
  const name = voice.toLowerCase();
  return (OPENAI_VOICE_NAMES as readonly string[]).includes(name) ? map[name as OpenAiVoiceName] : voice;
}
