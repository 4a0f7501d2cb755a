import { SpeechError } from '../speech/speech-error';
import { MAX_WAV_HEADER_BYTES, WavHeaderReader } from './wav-header-reader';

function header(
  options: { rate?: number; dataBytes?: number; extraChunk?: Buffer; fmtSize?: number } = {},
): Buffer {
  const fmtSize = options.fmtSize ?? 16;
  const fmt = Buffer.alloc(8 + fmtSize);
  fmt.write('fmt ', 0, 'ascii');
  fmt.writeUInt32LE(fmtSize, 4);
  if (fmtSize >= 16) {
    fmt.writeUInt16LE(1, 8);
    fmt.writeUInt16LE(1, 10);
    fmt.writeUInt32LE(options.rate ?? 16_000, 12);
    fmt.writeUInt32LE((options.rate ?? 16_000) * 2, 16);
    fmt.writeUInt16LE(2, 20);
    fmt.writeUInt16LE(16, 22);
  }
  const data = Buffer.alloc(8);
  data.write('data', 0, 'ascii');
  data.writeUInt32LE(options.dataBytes ?? 0xffffffff, 4);
  const riff = Buffer.alloc(12);
  riff.write('RIFF', 0, 'ascii');
  riff.writeUInt32LE(0xffffffff, 4);
  riff.write('WAVE', 8, 'ascii');
  return Buffer.concat([riff, fmt, options.extraChunk ?? Buffer.alloc(0), data]);
}

function chunk(id: string, body: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.write(id, 0, 'ascii');
  head.writeUInt32LE(body.length, 4);
  return Buffer.concat([head, body, body.length % 2 ? Buffer.alloc(1) : Buffer.alloc(0)]);
}

function badRequest(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(SpeechError);
    expect((error as SpeechError).code).toBe('BAD_REQUEST');
    return (error as SpeechError).message;
  }
  throw new Error('expected a BAD_REQUEST');
}

describe('WavHeaderReader', () => {
  it('passes the samples through once the header is read, whatever the chunking', () => {
    const samples = Buffer.from([1, 2, 3, 4, 5, 6]);
    const file = Buffer.concat([
      header({ rate: 24_000, extraChunk: chunk('LIST', Buffer.from('abc')) }),
      samples,
    ]);
    for (let split = 1; split < file.length; split++) {
      const reader = new WavHeaderReader();
      const out = Buffer.concat([reader.push(file.subarray(0, split)), reader.push(file.subarray(split))]);
      expect(out).toEqual(samples);
      expect(reader.end()).toMatchObject({
        sampleRate: 24_000,
        channels: 1,
        bitsPerSample: 16,
        dataBytes: null,
      });
    }
  });

  it('stops at the announced data size (trailing chunks are not audio)', () => {
    const reader = new WavHeaderReader();
    const out = reader.push(
      Buffer.concat([header({ dataBytes: 4 }), Buffer.from([1, 2, 3, 4]), chunk('LIST', Buffer.from('xy'))]),
    );
    expect(out).toEqual(Buffer.from([1, 2, 3, 4]));
    expect(reader.push(Buffer.from([9, 9]))).toHaveLength(0);
  });

  it('names what is wrong with a malformed header', () => {
    expect(badRequest(() => new WavHeaderReader().push(Buffer.from('ID3\x04 not a wav')))).toMatch(/RIFF/);
    const notWave = Buffer.from(header());
    notWave.write('AVI ', 8, 'ascii');
    expect(badRequest(() => new WavHeaderReader().push(notWave))).toMatch(/WAVE/);
    const dataFirst = Buffer.concat([header().subarray(0, 12), chunk('data', Buffer.alloc(2))]);
    expect(badRequest(() => new WavHeaderReader().push(dataFirst))).toMatch(/before the fmt/);
    expect(badRequest(() => new WavHeaderReader().push(header({ fmtSize: 8 })))).toMatch(
      /fmt chunk is 8 bytes/,
    );
    const garbage = Buffer.concat([header().subarray(0, 12), Buffer.from([0, 1, 2, 3, 0, 0, 0, 0])]);
    expect(badRequest(() => new WavHeaderReader().push(garbage))).toMatch(/not text/);
  });

  it('refuses a header that never reaches its data chunk within the bound, without holding more', () => {
    const reader = new WavHeaderReader();
    const big = chunk('LIST', Buffer.alloc(MAX_WAV_HEADER_BYTES));
    expect(badRequest(() => reader.push(Buffer.concat([header().subarray(0, 12), big])))).toMatch(
      /LIST chunk/,
    );
  });

  it('reports an upload that ended inside the header', () => {
    const reader = new WavHeaderReader();
    reader.push(header().subarray(0, 20));
    expect(badRequest(() => reader.end())).toMatch(/ended inside the header/);
    expect(badRequest(() => new WavHeaderReader().end())).toMatch(/empty/);
  });
});
