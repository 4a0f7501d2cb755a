import { HTTP_AUDIO_FORMATS, WAV_HEADER_BYTES, type HttpTtsFormat } from '../http-api/http-audio-formats';
import { Mp3DurationMeter } from './mp3-duration';

/**
 * Seconds of audio in a stream of one of the HTTP API's formats, measured as the bytes pass: by size for the
 * constant-rate formats, by frames for mp3. Ogg Opus, FLAC and AAC are not measured (0 seconds).
 */
export class AudioMeter {
  private bytes = 0;
  private readonly mp3: Mp3DurationMeter | null;

  constructor(private readonly format: HttpTtsFormat) {
    this.mp3 = HTTP_AUDIO_FORMATS[format].extension === 'mp3' ? new Mp3DurationMeter() : null;
  }

  push(chunk: Buffer): void {
    this.bytes += chunk.length;
    this.mp3?.push(chunk);
  }

  get seconds(): number {
    if (this.mp3 !== null) return this.mp3.durationSeconds;
    const { bytesPerSecond, wavHeader } = HTTP_AUDIO_FORMATS[this.format];
    if (bytesPerSecond === null) return 0;
    return Math.max(0, this.bytes - (wavHeader ? WAV_HEADER_BYTES : 0)) / bytesPerSecond;
  }
}
