const MPEG1_LAYER3_KBPS = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
const MPEG2_LAYER3_KBPS = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
const SAMPLE_RATES: Record<number, number[]> = {
  3: [44_100, 48_000, 32_000], // MPEG-1
  2: [22_050, 24_000, 16_000], // MPEG-2
  0: [11_025, 12_000, 8_000], // MPEG-2.5
};

interface FrameHeader {
  bytes: number;
  samples: number;
  sampleRate: number;
}

/** The MPEG audio Layer III frame header at `offset`, or null when none starts there. */
function frameAt(buf: Buffer, offset: number): FrameHeader | null {
  if (offset + 4 > buf.length) return null;
  const b1 = buf[offset + 1];
  const b2 = buf[offset + 2];
  if (buf[offset] !== 0xff || (b1 & 0xe0) !== 0xe0) return null;
  const version = (b1 >> 3) & 0b11;
  const layer = (b1 >> 1) & 0b11;
  const rates = SAMPLE_RATES[version];
  const bitrateIndex = b2 >> 4;
  const rateIndex = (b2 >> 2) & 0b11;
  if (rates === undefined || layer !== 0b01 || bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3) {
    return null;
  }
  const mpeg1 = version === 3;
  const kbps = (mpeg1 ? MPEG1_LAYER3_KBPS : MPEG2_LAYER3_KBPS)[bitrateIndex];
  const sampleRate = rates[rateIndex];
  const padding = (b2 >> 1) & 1;
  const bytes = Math.floor(((mpeg1 ? 144 : 72) * kbps * 1000) / sampleRate) + padding;
  return { bytes, samples: mpeg1 ? 1152 : 576, sampleRate };
}

/**
 * Measures the duration of an MP3 stream as it passes, by walking its Layer III frame headers (exact for any
 * bit rate, constant or variable). An ID3v2 tag at the start is skipped.
 */
export class Mp3DurationMeter {
  private pending: Buffer = Buffer.alloc(0);
  private skip = 0;
  private started = false;
  private seconds = 0;

  get durationSeconds(): number {
    return this.seconds;
  }

  push(chunk: Buffer): void {
    let buf = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    if (this.skip > 0) {
      const skipped = Math.min(this.skip, buf.length);
      this.skip -= skipped;
      buf = buf.subarray(skipped);
    }
    let offset = 0;
    if (!this.started) {
      if (buf.length < 10) {
        this.pending = buf;
        return;
      }
      this.started = true;
      if (buf.toString('latin1', 0, 3) === 'ID3') {
        // Syncsafe size: 4 x 7 bits, after the 10-byte tag header.
        const size =
          ((buf[6] & 0x7f) << 21) | ((buf[7] & 0x7f) << 14) | ((buf[8] & 0x7f) << 7) | (buf[9] & 0x7f);
        const tag = 10 + size;
        if (tag > buf.length) {
          this.skip = tag - buf.length;
          this.pending = Buffer.alloc(0);
          return;
        }
        offset = tag;
      }
    }
    while (offset + 4 <= buf.length) {
      const frame = frameAt(buf, offset);
      if (frame === null) {
        offset += 1; // resynchronise on garbage
        continue;
      }
      if (offset + frame.bytes > buf.length) break;
      this.seconds += frame.samples / frame.sampleRate;
      offset += frame.bytes;
    }
    this.pending = Buffer.from(buf.subarray(offset));
  }
}
