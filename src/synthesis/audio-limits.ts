import { wireFormatInfo, type WireFormat } from '../speech/audio-format';
import { badRequest } from './error-body';

/** How much audio one synthesis may produce (SPEECH_TTS_MAX_AUDIO_DURATION, SPEECH_TTS_MAX_AUDIO_SIZE). */
export interface AudioLimits {
  maxAudioMs: number;
  maxAudioBytes: number;
}

export const DEFAULT_AUDIO_LIMITS: AudioLimits = { maxAudioMs: 600_000, maxAudioBytes: 64 * 1024 * 1024 };

/** Bytes one millisecond of `format` takes (the constant bit rate for mp3). */
export function bytesPerMs(format: WireFormat): number {
  return wireFormatInfo(format).bytesPerSecond / 1000;
}

/** The most audio bytes one synthesis in `format` may stream: the size bound or the duration bound, if lower. */
export function maxAudioBytesFor(format: WireFormat, limits: AudioLimits): number {
  return Math.min(limits.maxAudioBytes, Math.ceil(limits.maxAudioMs * bytesPerMs(format)));
}

const seconds = (ms: number): string => `${Math.round(ms / 100) / 10} s`;

/**
 * Refuses (BAD_REQUEST) a request whose estimated audio would exceed the limits, before it costs anything
 * upstream. The estimate is deliberately middling: what passes it is still stopped at the bound while streaming.
 */
export function checkEstimatedAudio(estimatedMs: number, format: WireFormat, limits: AudioLimits): void {
  if (estimatedMs > limits.maxAudioMs) {
    throw badRequest(
      `the request would produce about ${seconds(estimatedMs)} of audio (text, pauses and speaking rate); ` +
        `the limit is ${seconds(limits.maxAudioMs)} per request`,
    );
  }
  const bytes = Math.ceil(estimatedMs * bytesPerMs(format));
  if (bytes > limits.maxAudioBytes) {
    throw badRequest(
      `the request would produce about ${bytes} bytes of ${format} audio; the limit is ` +
        `${limits.maxAudioBytes} bytes per request`,
    );
  }
}
