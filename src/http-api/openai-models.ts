/**
 * The model names the OpenAI routes accept. The voice decides how speech sounds and the recognizer is the
 * upstream's, so every speech model is answered the same way, as is every transcription model.
 */
export const OPENAI_SPEECH_MODELS = ['tts-1', 'tts-1-hd', 'gpt-4o-mini-tts'] as const;
export const OPENAI_TRANSCRIPTION_MODELS = [
  'whisper-1',
  'gpt-4o-transcribe',
  'gpt-4o-mini-transcribe',
] as const;

/** A dated snapshot (`gpt-4o-mini-tts-2025-03-20`) is accepted as its model. */
const SNAPSHOT = /-\d{4}-\d{2}-\d{2}$/;

export function isSpeechModel(name: string): boolean {
  return (OPENAI_SPEECH_MODELS as readonly string[]).includes(name.replace(SNAPSHOT, ''));
}

/** One entry of GET /v1/models, in OpenAI's shape. */
export interface OpenAiModel {
  id: string;
  object: 'model';
  created: number;
  owned_by: string;
}

export function openAiModels(): OpenAiModel[] {
  return [...OPENAI_SPEECH_MODELS, ...OPENAI_TRANSCRIPTION_MODELS].map((id) => ({
    id,
    object: 'model',
    // No release date to give: OpenAI's clients read the field but nothing depends on its value.
    created: 0,
    owned_by: 'warmline',
  }));
}
