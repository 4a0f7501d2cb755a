import { expect } from '@jest/globals';
import { SpeechError } from '../speech/speech-error';
import { PcmUploadDecoder } from './pcm-upload-decoder';
import { wavHeader } from '../speech/wav-header';

describe('PcmUploadDecoder', () => {
  it('hands out whole samples only, carrying a split sample to the next chunk', () => {
    const decoder = new PcmUploadDecoder({ kind: 'pcm', sampleRate: 8_000 });
    expect(decoder.sampleRate).toBe(8_000);
    expect(decoder.push(Buffer.from([1, 2, 3]))).toEqual(Buffer.from([1, 2]));
    expect(decoder.push(Buffer.from([4, 5]))).toEqual(Buffer.from([3, 4]));
    expect(decoder.push(Buffer.from([6]))).toEqual(Buffer.from([5, 6]));
    expect(decoder.pcmBytes).toBe(6);
    expect(decoder.end()).toBe(8_000);
  });

  it('learns the rate of a WAV upload from its header', () => {
    const decoder = new PcmUploadDecoder({ kind: 'wav' });
    expect(decoder.sampleRate).toBeNull();
    const out = decoder.push(Buffer.concat([wavHeader(24_000), Buffer.from([1, 2, 3, 4])]));
    expect(decoder.sampleRate).toBe(24_000);
    expect(out).toEqual(Buffer.from([1, 2, 3, 4]));
  });

  it.each([
    ['a stereo file', (h: Buffer) => h.writeUInt16LE(2, 22), /mono/],
    ['8-bit samples', (h: Buffer) => h.writeUInt16LE(8, 34), /16-bit PCM/],
    ['a-law', (h: Buffer) => h.writeUInt16LE(6, 20), /16-bit PCM/],
    ['11025 Hz', (h: Buffer) => h.writeUInt32LE(11_025, 24), /11025 Hz is not supported/],
  ])('refuses %s as BAD_REQUEST', (_what, edit, message) => {
    const header = wavHeader(16_000);
    edit(header);
    const decoder = new PcmUploadDecoder({ kind: 'wav' });
    let error: unknown;
    try {
      decoder.push(header);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SpeechError);
    expect(error).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(message) });
  });
});
