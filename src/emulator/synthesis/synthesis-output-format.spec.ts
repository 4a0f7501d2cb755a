import { oggOpusAvailable } from '../audio/ogg-opus-encoder';
import { encodeG711, linearToAlaw, linearToMulaw } from '../audio/g711-codec';
import { resolveOutputFormat, riffHeaderFor } from './synthesis-output-format';

describe('resolveOutputFormat', () => {
  it.each([
    ['raw-8khz-16bit-mono-pcm', 8000],
    ['raw-16khz-16bit-mono-pcm', 16000],
    ['raw-24khz-16bit-mono-pcm', 24000],
    ['raw-48khz-16bit-mono-pcm', 48000],
    ['raw-22050hz-16bit-mono-pcm', 22050],
    ['riff-24khz-16bit-mono-pcm', 24000],
  ])('%s is 16-bit PCM at %d Hz', (name, rate) => {
    expect(resolveOutputFormat(name)).toMatchObject({
      sampleRate: rate,
      encoding: 'pcm16',
      riffHeader: name.startsWith('riff'),
    });
  });

  it.each([
    ['audio-24khz-48kbitrate-mono-mp3', 24000, 48],
    ['audio-16khz-32kbitrate-mono-mp3', 16000, 32],
    ['audio-48khz-192kbitrate-mono-mp3', 48000, 192],
  ])('%s is mp3 at %d Hz, %d kbit/s', (name, rate, kbps) => {
    expect(resolveOutputFormat(name)).toEqual({
      name,
      sampleRate: rate,
      encoding: 'mp3',
      riffHeader: false,
      kbps,
    });
  });

  it('defaults to raw 16 kHz, serves G.711 and refuses other compressed formats', () => {
    expect(resolveOutputFormat(undefined)).toMatchObject({ sampleRate: 16000, encoding: 'pcm16' });
    expect(resolveOutputFormat('raw-8khz-8bit-mono-mulaw')).toMatchObject({
      sampleRate: 8000,
      encoding: 'mulaw',
    });
    expect(resolveOutputFormat('raw-8khz-8bit-mono-alaw')).toMatchObject({ encoding: 'alaw' });
    expect(resolveOutputFormat('audio-24khz-16bit-48kbps-mono-opus')).toBeUndefined();
    expect(resolveOutputFormat('audio-24khz-64kbitrate-mono-mp3')).toBeUndefined();
    expect(resolveOutputFormat('raw-96khz-16bit-mono-pcm')).toBeUndefined();
  });

  it("serves the service's Ogg Opus formats when opusenc is installed", () => {
    const format = resolveOutputFormat('ogg-24khz-16bit-mono-opus');
    if (!oggOpusAvailable() && process.env.CI !== 'true') return; // refused without the encoder (see its spec)
    expect(format).toEqual({
      name: 'ogg-24khz-16bit-mono-opus',
      sampleRate: 24000,
      encoding: 'opus',
      riffHeader: false,
      kbps: 32,
    });
    expect(resolveOutputFormat('OGG-48KHZ-16BIT-MONO-OPUS')).toMatchObject({ sampleRate: 48000 });
    expect(resolveOutputFormat('ogg-22khz-16bit-mono-opus')).toBeUndefined();
  });

  it('writes a 44-byte WAV header for riff formats', () => {
    const header = riffHeaderFor(resolveOutputFormat('riff-24khz-16bit-mono-pcm')!, 4800);
    expect(header.length).toBe(44);
    expect(header.toString('ascii', 0, 4)).toBe('RIFF');
    expect(header.readUInt32LE(24)).toBe(24000);
    expect(header.readUInt32LE(40)).toBe(4800);
  });
});

describe('G.711', () => {
  it('encodes the reference values', () => {
    expect(linearToMulaw(0)).toBe(0xff);
    expect(linearToMulaw(32767)).toBe(0x80);
    expect(linearToMulaw(-32768)).toBe(0x00);
    expect(linearToAlaw(0)).toBe(0xd5);
    expect(linearToAlaw(32767)).toBe(0xaa);
    expect(linearToAlaw(-32768)).toBe(0x2a);
    expect(encodeG711(new Int16Array([0, 0]), 'mulaw')).toEqual(Buffer.from([0xff, 0xff]));
  });
});
