import { invalidRequest } from './http-api-error';

/** The format a WAV upload declares. */
export interface WavUploadFormat {
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  formatTag: number;
  /** Bytes of sample data the header announces; null when it is a streaming placeholder (0 or 0xFFFFFFFF). */
  dataBytes: number | null;
}

const WAVE_FORMAT_PCM = 1;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;
/** A header (fmt + LIST/fact/... chunks before `data`) longer than this is not a WAV file we can use. */
export const MAX_WAV_HEADER_BYTES = 64 * 1024;
const STREAMING_SIZES = new Set([0, 0xffffffff]);

const malformed = (why: string) => invalidRequest(`malformed WAV header: ${why}`);

/**
 * Reads a RIFF/WAVE header from a stream, chunk by chunk: holds bytes only until the `data` chunk begins (at most
 * MAX_WAV_HEADER_BYTES), then hands every further byte through as sample data, up to the announced data size.
 * Throws a BAD_REQUEST naming what is wrong as soon as the bytes seen prove the header malformed.
 */
export class WavHeaderReader {
  private head: Buffer = Buffer.alloc(0);
  private parsed: WavUploadFormat | null = null;
  private remaining = Infinity;

  get format(): WavUploadFormat | null {
    return this.parsed;
  }

  /** Sample bytes in `chunk` (after the header, within the data chunk); empty while the header is incomplete. */
  push(chunk: Buffer): Buffer {
    if (this.parsed !== null) return this.take(chunk);
    this.head = this.head.length === 0 ? chunk : Buffer.concat([this.head, chunk]);
    const found = this.tryParse();
    if (found === null) {
      if (this.head.length > MAX_WAV_HEADER_BYTES) {
        throw malformed(`no data chunk within the first ${MAX_WAV_HEADER_BYTES} bytes`);
      }
      return Buffer.alloc(0);
    }
    this.parsed = found.format;
    this.remaining = found.format.dataBytes ?? Infinity;
    const rest = this.head.subarray(found.dataOffset);
    this.head = Buffer.alloc(0);
    return this.take(rest);
  }

  /** Call at the end of the upload: throws when it ended inside the header. */
  end(): WavUploadFormat {
    if (this.parsed === null) {
      throw malformed(this.head.length === 0 ? 'the upload is empty' : 'the upload ended inside the header');
    }
    return this.parsed;
  }

  private take(chunk: Buffer): Buffer {
    if (chunk.length <= this.remaining) {
      this.remaining -= chunk.length;
      return chunk;
    }
    const within = chunk.subarray(0, this.remaining);
    this.remaining = 0;
    return within;
  }

  /** The format and where the samples start, once the header is complete; null while more bytes are needed. */
  private tryParse(): { format: WavUploadFormat; dataOffset: number } | null {
    const buf = this.head;
    if (buf.length >= 4 && buf.toString('ascii', 0, 4) !== 'RIFF')
      throw malformed('it does not start with RIFF (only WAV files are accepted)');
    if (buf.length < 12) return null;
    if (buf.toString('ascii', 8, 12) !== 'WAVE') throw malformed('the RIFF type is not WAVE');
    let offset = 12;
    let fmt: Omit<WavUploadFormat, 'dataBytes'> | null = null;
    while (offset + 8 <= buf.length) {
      const id = buf.toString('ascii', offset, offset + 4);
      const size = buf.readUInt32LE(offset + 4);
      const body = offset + 8;
      if (id === 'data') {
        if (fmt === null) throw malformed('the data chunk comes before the fmt chunk');
        return {
          format: { ...fmt, dataBytes: STREAMING_SIZES.has(size) ? null : size },
          dataOffset: body,
        };
      }
      if (!/^[\x20-\x7e]{4}$/.test(id)) throw malformed(`a chunk id is not text (offset ${offset})`);
      if (body + size > MAX_WAV_HEADER_BYTES) throw malformed(`the ${id.trim()} chunk is ${size} bytes`);
      if (body + size > buf.length) return null;
      if (id === 'fmt ') fmt = readFmt(buf, body, size);
      offset = body + size + (size % 2);
    }
    return null;
  }
}

function readFmt(buf: Buffer, body: number, size: number): Omit<WavUploadFormat, 'dataBytes'> {
  if (size < 16) throw malformed(`the fmt chunk is ${size} bytes; at least 16 are needed`);
  let formatTag = buf.readUInt16LE(body);
  // WAVE_FORMAT_EXTENSIBLE: the sub-format GUID starts with the real format tag.
  if (formatTag === WAVE_FORMAT_EXTENSIBLE && size >= 26) formatTag = buf.readUInt16LE(body + 24);
  return {
    formatTag,
    channels: buf.readUInt16LE(body + 2),
    sampleRate: buf.readUInt32LE(body + 4),
    bitsPerSample: buf.readUInt16LE(body + 14),
  };
}

export const isPcmFormatTag = (tag: number): boolean => tag === WAVE_FORMAT_PCM;
