import { OggOpusEncoder, oggOpusAvailable } from './ogg-opus-encoder';

/** opusenc is a Debian package (opus-tools): required in CI, skipped with the reason elsewhere. */
const runs = oggOpusAvailable() || process.env.CI === 'true';
const describeWithOpusenc = runs ? describe : describe.skip;
const SKIPPED = runs ? '' : ' (skipped: opusenc not on PATH; install the Debian package opus-tools)';

function tone(seconds: number, rate: number): Int16Array {
  const samples = new Int16Array(seconds * rate);
  for (let i = 0; i < samples.length; i++)
    samples[i] = Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / rate));
  return samples;
}

/** The Ogg pages of a stream: each page's granule position (48 kHz samples) and first packet's start. */
function pages(ogg: Buffer): Array<{ granule: bigint; body: Buffer }> {
  const found: Array<{ granule: bigint; body: Buffer }> = [];
  let at = 0;
  while (at < ogg.length) {
    expect(ogg.toString('ascii', at, at + 4)).toBe('OggS');
    const segments = ogg[at + 26];
    const lacing = ogg.subarray(at + 27, at + 27 + segments);
    const size = lacing.reduce((sum, n) => sum + n, 0);
    const start = at + 27 + segments;
    found.push({ granule: ogg.readBigInt64LE(at + 6), body: ogg.subarray(start, start + size) });
    at = start + size;
  }
  return found;
}

describeWithOpusenc(`OggOpusEncoder${SKIPPED}`, () => {
  it('turns PCM chunks into one whole Ogg Opus stream as long as the input', async () => {
    const encoder = new OggOpusEncoder(24_000, 32);
    const pcm = tone(2, 24_000);
    const parts: Buffer[] = [];
    for (let at = 0; at < pcm.length; at += 1200) parts.push(encoder.encode(pcm.subarray(at, at + 1200)));
    parts.push(await encoder.flush());
    encoder.dispose(); // after the end: nothing left to stop
    const stream = pages(Buffer.concat(parts));
    expect(stream[0].body.toString('ascii', 0, 8)).toBe('OpusHead');
    expect(stream[0].body[9]).toBe(1); // mono
    expect(stream[0].body.readUInt32LE(12)).toBe(24_000); // the input's rate, as the header records it
    expect(stream[1].body.toString('ascii', 0, 8)).toBe('OpusTags');
    const preSkip = BigInt(stream[0].body.readUInt16LE(10));
    // The last granule position, less the encoder's pre-skip, is the audio's length in 48 kHz samples.
    expect(stream.at(-1)!.granule - preSkip).toBe(96_000n);
  });

  it('stops at once when disposed mid-stream', async () => {
    const encoder = new OggOpusEncoder(24_000, 32);
    encoder.encode(tone(1, 24_000));
    encoder.dispose();
    await expect(encoder.flush()).rejects.toThrow(/opusenc failed/);
  });
});
