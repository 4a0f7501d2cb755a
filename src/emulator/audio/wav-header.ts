/** The parts of a RIFF/WAVE header the emulator needs: format and where the PCM starts. */
export interface WavFormat {
  formatTag: number;
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  /** Byte offset of the first sample in the buffer. */
  dataOffset: number;
  /** Bytes of sample data announced by the header (streams write a placeholder; trust the buffer). */
  dataLength: number;
}

export class WavFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WavFormatError';
  }
}

export const WAVE_FORMAT_PCM = 1;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

/** Walks the RIFF chunks up to `data`. Throws {@link WavFormatError} when the buffer is no WAVE header. */
export function parseWavHeader(buf: Buffer): WavFormat {
  if (buf.length < 12 || buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') {
    throw new WavFormatError('Not a RIFF/WAVE header');
  }
  let offset = 12;
  let fmt: Omit<WavFormat, 'dataOffset' | 'dataLength'> | undefined;
  while (offset + 8 <= buf.length) {
    const id = buf.toString('ascii', offset, offset + 4);
    const size = buf.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ') {
      if (body + 16 > buf.length) throw new WavFormatError('Truncated fmt chunk');
      let formatTag = buf.readUInt16LE(body);
      if (formatTag === WAVE_FORMAT_EXTENSIBLE && size >= 26 && body + 26 <= buf.length) {
        formatTag = buf.readUInt16LE(body + 24); // the sub-format GUID starts with the real tag
      }
      fmt = {
        formatTag,
        channels: buf.readUInt16LE(body + 2),
        sampleRate: buf.readUInt32LE(body + 4),
        bitsPerSample: buf.readUInt16LE(body + 14),
      };
    } else if (id === 'data') {
      if (!fmt) throw new WavFormatError('data chunk before fmt chunk');
      return { ...fmt, dataOffset: body, dataLength: size };
    }
    offset = body + size + (size % 2);
  }
  throw new WavFormatError('No data chunk in the WAVE header');
}

/** Little-endian 16-bit samples from a byte range (copies, so odd offsets are fine). */
export function pcm16FromBytes(buf: Buffer, start = 0, end = buf.length): Int16Array {
  const usable = (end - start) & ~1;
  const out = new Int16Array(usable / 2);
  for (let i = 0; i < out.length; i++) out[i] = buf.readInt16LE(start + 2 * i);
  return out;
}

export function pcm16ToBytes(samples: Int16Array): Buffer {
  const out = Buffer.allocUnsafe(samples.length * 2);
  for (let i = 0; i < samples.length; i++) out.writeInt16LE(samples[i], 2 * i);
  return out;
}
