import { toWav, wavHeader } from './wav-header';

describe('WAV file', () => {
  it('writes the canonical 44-byte header for 16-bit mono PCM', () => {
    const header = wavHeader(24_000, 1_000);
    expect(header).toHaveLength(44);
    expect(header.toString('ascii', 0, 4)).toBe('RIFF');
    expect(header.readUInt32LE(4)).toBe(1_036);
    expect(header.toString('ascii', 8, 16)).toBe('WAVEfmt ');
    expect(header.readUInt32LE(16)).toBe(16);
    expect(header.readUInt16LE(20)).toBe(1); // PCM
    expect(header.readUInt16LE(22)).toBe(1); // mono
    expect(header.readUInt32LE(24)).toBe(24_000);
    expect(header.readUInt32LE(28)).toBe(48_000);
    expect(header.readUInt16LE(32)).toBe(2);
    expect(header.readUInt16LE(34)).toBe(16);
    expect(header.toString('ascii', 36, 40)).toBe('data');
    expect(header.readUInt32LE(40)).toBe(1_000);
  });

  it('marks both sizes unknown for a stream whose length is not known up front', () => {
    const header = wavHeader(16_000);
    expect(header.readUInt32LE(4)).toBe(0xffffffff);
    expect(header.readUInt32LE(40)).toBe(0xffffffff);
    expect(header.readUInt32LE(24)).toBe(16_000);
  });

  it('puts the PCM right after the header', () => {
    const pcm = Buffer.from([1, 2, 3, 4]);
    const wav = toWav(pcm, 16_000);
    expect(wav).toHaveLength(48);
    expect(wav.subarray(44)).toEqual(pcm);
  });
});
