import { STT_SAMPLE_RATES, type SttSampleRate } from '../protocol/client-payloads';
import { invalidRequest } from './http-api-error';
import { isSttSampleRate, type UploadEncoding } from './upload-content-type';
import { WavHeaderReader, isPcmFormatTag } from './wav-header-reader';

/**
 * Turns an STT upload into what the recognizer takes: 16-bit little-endian mono PCM in whole samples. A WAV
 * upload's rate is known once its header has been read; a raw one's from its Content-Type.
 */
export class PcmUploadDecoder {
  private readonly wav: WavHeaderReader | null;
  private rate: SttSampleRate | null;
  /** The odd byte of a sample split between two chunks. */
  private carry: Buffer | null = null;
  private bytes = 0;

  constructor(encoding: UploadEncoding) {
    this.wav = encoding.kind === 'wav' ? new WavHeaderReader() : null;
    this.rate = encoding.kind === 'pcm' ? encoding.sampleRate : null;
  }

  /** The sample rate, once known (at once for raw PCM, after the header for WAV). */
  get sampleRate(): SttSampleRate | null {
    return this.rate;
  }

  /** PCM bytes handed out so far. */
  get pcmBytes(): number {
    return this.bytes;
  }

  /** The whole samples in `chunk` (possibly none yet). Throws BAD_REQUEST for a malformed or unusable WAV. */
  push(chunk: Buffer): Buffer {
    let pcm = chunk;
    if (this.wav !== null) {
      pcm = this.wav.push(chunk);
      if (this.rate === null && this.wav.format !== null) this.rate = checkWavFormat(this.wav);
    }
    if (this.carry !== null) {
      pcm = Buffer.concat([this.carry, pcm]);
      this.carry = null;
    }
    if (pcm.length % 2 === 1) {
      this.carry = Buffer.from(pcm.subarray(pcm.length - 1));
      pcm = pcm.subarray(0, pcm.length - 1);
    }
    this.bytes += pcm.length;
    return pcm;
  }

  /** At the end of the upload: the rate (throws when a WAV upload ended inside its header). */
  end(): SttSampleRate {
    if (this.wav !== null && this.rate === null) {
      this.wav.end();
      this.rate = checkWavFormat(this.wav);
    }
    return this.rate as SttSampleRate;
  }
}

function checkWavFormat(reader: WavHeaderReader): SttSampleRate {
  const format = reader.end();
  if (!isPcmFormatTag(format.formatTag) || format.bitsPerSample !== 16) {
    throw invalidRequest(
      `the WAV file must hold 16-bit PCM (it holds format ${format.formatTag}, ${format.bitsPerSample} bits)`,
    );
  }
  if (format.channels !== 1) {
    throw invalidRequest(`the WAV file must be mono (it has ${format.channels} channels)`);
  }
  if (!isSttSampleRate(format.sampleRate)) {
    throw invalidRequest(
      `the WAV sample rate ${format.sampleRate} Hz is not supported; use ${STT_SAMPLE_RATES.join(', ')} Hz`,
    );
  }
  return format.sampleRate;
}
