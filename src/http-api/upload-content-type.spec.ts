import { expect } from '@jest/globals';
import { parseUploadContentType } from './upload-content-type';

describe('parseUploadContentType', () => {
  it.each([
    ['audio/wav', { kind: 'wav' }],
    ['audio/x-wav', { kind: 'wav' }],
    ['audio/L16;rate=8000', { kind: 'pcm', sampleRate: 8000 }],
    ['audio/L16; rate="48000"; channels=1', { kind: 'pcm', sampleRate: 48000 }],
    ['audio/pcm', { kind: 'pcm', sampleRate: 16000 }],
  ])('%s', (header, expected) => {
    expect(parseUploadContentType(header)).toEqual(expected);
  });

  it.each([
    [undefined, 415, /Content-Type must be/],
    ['application/json', 415, /Content-Type must be/],
    ['audio/L16;rate=44100', 400, /rate=44100 is not supported/],
    ['audio/L16;rate=16000;channels=2', 400, /mono/],
  ])('refuses %s', (header, status, message) => {
    expect(() => parseUploadContentType(header)).toThrow(
      expect.objectContaining({
        code: 'BAD_REQUEST',
        status: status === 400 ? undefined : status,
        message: expect.stringMatching(message),
      }),
    );
  });
});
