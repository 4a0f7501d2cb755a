import type { WireFormat } from '../speech/audio-format';
import type { EncodedFormat } from './pcm-encoders';

/**
 * The audio formats of the HTTP speech API and how each is delivered: a container (a WAV header before the PCM,
 * or none) around one of the synthesizer's wire formats. Plain data, so the batch client can share it.
 */
export const HTTP_TTS_FORMATS = [
  'wav-24k',
  'wav-16k',
  'wav-48k',
  'pcm-24k',
  'pcm-16k',
  'pcm-48k',
  'mp3-24k',
  'mulaw-8k',
  'alaw-8k',
  'opus-24k',
  'flac-24k',
  'aac-24k',
] as const;
export type HttpTtsFormat = (typeof HTTP_TTS_FORMATS)[number];
export const DEFAULT_HTTP_TTS_FORMAT: HttpTtsFormat = 'wav-24k';

export interface HttpAudioFormat {
  wire: WireFormat;
  /** A streaming WAV header goes first. */
  wavHeader: boolean;
  sampleRate: number;
  contentType: string;
  /** File extension for this format (the batch client names its files with it). */
  extension: string;
  /** Bytes per second of audio for constant-rate formats; null for compressed ones (count their frames). */
  bytesPerSecond: number | null;
  /** Encoded here from the wire's PCM, by that encoder (the upstream does not produce the format). */
  encoder?: EncodedFormat;
}

export const HTTP_AUDIO_FORMATS: Readonly<Record<HttpTtsFormat, HttpAudioFormat>> = {
  'wav-24k': pcmLike('pcm-24k', true, 24_000),
  'wav-16k': pcmLike('pcm-16k', true, 16_000),
  'pcm-24k': pcmLike('pcm-24k', false, 24_000),
  'pcm-16k': pcmLike('pcm-16k', false, 16_000),
  'wav-48k': pcmLike('pcm-48k', true, 48_000),
  'pcm-48k': pcmLike('pcm-48k', false, 48_000),
  'mp3-24k': {
    wire: 'mp3-24k',
    wavHeader: false,
    sampleRate: 24_000,
    contentType: 'audio/mpeg',
    extension: 'mp3',
    bytesPerSecond: null,
  },
  'mulaw-8k': {
    wire: 'mulaw-8k',
    wavHeader: false,
    sampleRate: 8_000,
    contentType: 'audio/PCMU;rate=8000',
    extension: 'ulaw',
    bytesPerSecond: 8_000,
  },
  'alaw-8k': {
    wire: 'alaw-8k',
    wavHeader: false,
    sampleRate: 8_000,
    contentType: 'audio/PCMA;rate=8000',
    extension: 'alaw',
    bytesPerSecond: 8_000,
  },
  // Ogg Opus comes from the upstream itself (its ogg-24khz-16bit-mono-opus output).
  'opus-24k': compressed('opus-24k', 'audio/ogg; codecs=opus', 'opus'),
  'flac-24k': { ...compressed('pcm-24k', 'audio/flac', 'flac'), encoder: 'flac' },
  'aac-24k': { ...compressed('pcm-24k', 'audio/aac', 'aac'), encoder: 'aac' },
};

function compressed(wire: WireFormat, contentType: string, extension: string): HttpAudioFormat {
  return { wire, wavHeader: false, sampleRate: 24_000, contentType, extension, bytesPerSecond: null };
}

function pcmLike(
  wire: 'pcm-16k' | 'pcm-24k' | 'pcm-48k',
  wavHeader: boolean,
  sampleRate: number,
): HttpAudioFormat {
  return {
    wire,
    wavHeader,
    sampleRate,
    // Raw samples are little-endian (unlike RFC 2586's audio/L16), hence a type of their own.
    contentType: wavHeader ? 'audio/wav' : `audio/pcm;rate=${sampleRate};channels=1`,
    extension: wavHeader ? 'wav' : 'pcm',
    bytesPerSecond: sampleRate * 2,
  };
}

/** The WAV header every wav-* answer starts with. */
export const WAV_HEADER_BYTES = 44;
