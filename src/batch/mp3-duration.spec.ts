import { Mp3DurationMeter } from './mp3-duration';

/** MPEG-2 Layer III, 24 kHz, 48 kbit/s: 144-byte frames of 576 samples (24 ms) each. */
function frames(n: number, padded = false): Buffer {
  const frame = Buffer.alloc(144 + (padded ? 1 : 0));
  frame[0] = 0xff;
  frame[1] = 0xf3;
  frame[2] = 0x64 | (padded ? 0b10 : 0);
  return Buffer.concat(Array.from({ length: n }, () => frame));
}

function id3(bodyBytes: number): Buffer {
  const tag = Buffer.alloc(10 + bodyBytes, 0x20);
  tag.write('ID3', 0, 'latin1');
  tag[3] = 4;
  tag[5] = 0;
  tag[6] = (bodyBytes >> 21) & 0x7f;
  tag[7] = (bodyBytes >> 14) & 0x7f;
  tag[8] = (bodyBytes >> 7) & 0x7f;
  tag[9] = bodyBytes & 0x7f;
  return tag;
}

describe('Mp3DurationMeter', () => {
  it('adds up the frames, whatever the chunking', () => {
    const stream = Buffer.concat([id3(300), frames(50), frames(25, true)]);
    for (const size of [1, 7, 144, 1000, stream.length]) {
      const meter = new Mp3DurationMeter();
      for (let i = 0; i < stream.length; i += size) meter.push(stream.subarray(i, i + size));
      expect(meter.durationSeconds).toBeCloseTo(75 * 0.024, 6);
    }
  });

  it('skips garbage between frames and ignores an incomplete last frame', () => {
    const meter = new Mp3DurationMeter();
    meter.push(Buffer.concat([frames(10), Buffer.from('junk'), frames(10), frames(1).subarray(0, 50)]));
    expect(meter.durationSeconds).toBeCloseTo(20 * 0.024, 6);
  });
});
