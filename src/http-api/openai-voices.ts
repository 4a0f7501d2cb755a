import { OPENAI_VOICE_NAMES, type OpenAiVoiceName } from '../config/env.schema';

/** An OpenAI voice name becomes its configured Azure voice; anything else is taken as an Azure voice name. */
export function azureVoiceFor(voice: string, map: Readonly<Record<OpenAiVoiceName, string>>): string {
  const name = voice.toLowerCase();
  return (OPENAI_VOICE_NAMES as readonly string[]).includes(name) ? map[name as OpenAiVoiceName] : voice;
}
