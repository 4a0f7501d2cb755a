import { SpeechSynthesisOutputFormat } from 'microsoft-cognitiveservices-speech-sdk';

/** Every format TtsClient can synthesize. */
export const WIRE_FORMATS = [
  'pcm-16k',
  'pcm-24k',
  'pcm-48k',
  'mp3-24k',
  'mulaw-8k',
  'alaw-8k',
  'opus-24k',
] as const;
export type WireFormat = (typeof WIRE_FORMATS)[number];

/** What a synthesizer is set to when it connects, and synthesizes when a request names no format. */
export const DEFAULT_WIRE_FORMAT: WireFormat = 'pcm-24k';

export interface WireFormatInfo {
  sdkFormat: SpeechSynthesisOutputFormat;
  /** pcm16 = 16-bit little-endian mono samples; mulaw/alaw = 8-bit G.711 samples; mp3 = MPEG audio frames;
   * opus = an Ogg Opus stream. */
  encoding: 'pcm16' | 'mp3' | 'mulaw' | 'alaw' | 'opus';
  sampleRate: number;
  /** Audio bytes per second of speech (exact for PCM and G.711, the constant bit rate for mp3). */
  bytesPerSecond: number;
}

const FORMATS: Record<WireFormat, WireFormatInfo> = {
  'pcm-16k': pcm(SpeechSynthesisOutputFormat.Raw16Khz16BitMonoPcm, 16_000),
  'pcm-24k': pcm(SpeechSynthesisOutputFormat.Raw24Khz16BitMonoPcm, 24_000),
  'pcm-48k': pcm(SpeechSynthesisOutputFormat.Raw48Khz16BitMonoPcm, 48_000),
  'mp3-24k': {
    sdkFormat: SpeechSynthesisOutputFormat.Audio24Khz48KBitRateMonoMp3,
    encoding: 'mp3',
    sampleRate: 24_000,
    bytesPerSecond: 48_000 / 8,
  },
  'opus-24k': {
    sdkFormat: SpeechSynthesisOutputFormat.Ogg24Khz16BitMonoOpus,
    encoding: 'opus',
    sampleRate: 24_000,
    // The service's Ogg Opus runs near 32 kbit/s; the limit allows for page overhead and a richer encoder.
    bytesPerSecond: 64_000 / 8,
  },
  'mulaw-8k': {
    sdkFormat: SpeechSynthesisOutputFormat.Raw8Khz8BitMonoMULaw,
    encoding: 'mulaw',
    sampleRate: 8_000,
    bytesPerSecond: 8_000,
  },
  'alaw-8k': {
    sdkFormat: SpeechSynthesisOutputFormat.Raw8Khz8BitMonoALaw,
    encoding: 'alaw',
    sampleRate: 8_000,
    bytesPerSecond: 8_000,
  },
};

function pcm(sdkFormat: SpeechSynthesisOutputFormat, sampleRate: number): WireFormatInfo {
  return {
    sdkFormat,
    encoding: 'pcm16',
    sampleRate,
    bytesPerSecond: sampleRate * 2,
  };
}

export function wireFormatInfo(format: WireFormat): WireFormatInfo {
  return FORMATS[format];
}

export function sdkOutputFormat(format: WireFormat): SpeechSynthesisOutputFormat {
  return FORMATS[format].sdkFormat;
}

/** The rate warm recognizers are made for; a recognition at another rate gets a rebuilt one. */
export const RECOGNIZER_SAMPLE_RATE = 16_000;
