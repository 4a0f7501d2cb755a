import { SpeechSynthesisOutputFormat } from 'microsoft-cognitiveservices-speech-sdk';

/** TTS output formats of the voice API: raw 16-bit little-endian mono PCM. */
export const TTS_FORMATS = ['pcm-16k', 'pcm-24k', 'pcm-48k'] as const;
export type TtsFormat = (typeof TTS_FORMATS)[number];
export const DEFAULT_TTS_FORMAT: TtsFormat = 'pcm-24k';

const SDK_FORMATS: Record<TtsFormat, SpeechSynthesisOutputFormat> = {
  'pcm-16k': SpeechSynthesisOutputFormat.Raw16Khz16BitMonoPcm,
  'pcm-24k': SpeechSynthesisOutputFormat.Raw24Khz16BitMonoPcm,
  'pcm-48k': SpeechSynthesisOutputFormat.Raw48Khz16BitMonoPcm,
};

const SAMPLE_RATES: Record<TtsFormat, number> = { 'pcm-16k': 16_000, 'pcm-24k': 24_000, 'pcm-48k': 48_000 };

export function sdkOutputFormat(format: TtsFormat): SpeechSynthesisOutputFormat {
  return SDK_FORMATS[format];
}

export function sampleRateOf(format: TtsFormat): number {
  return SAMPLE_RATES[format];
}

/** Sample rates accepted for recognition input. Warm recognizers are made for 16 kHz; others are rebuilt. */
export const STT_SAMPLE_RATES = [16_000, 8_000, 24_000, 48_000] as const;
export type SttSampleRate = (typeof STT_SAMPLE_RATES)[number];
export const RECOGNIZER_SAMPLE_RATE = 16_000;
