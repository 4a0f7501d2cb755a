// Module-level aliases: global lookups in hot loops are very slow inside vm contexts (Jest's sandbox).
const { imul } = Math;

/**
 * Content-defined anchors over exact 16-bit PCM: a polynomial rolling hash of every window of
 * {@link FINGERPRINT_WINDOW} samples, kept where the (mixed) hash has its low bits zero and the window is not
 * near-silent. Anchors depend only on the samples, never on how the audio was chunked or where it started,
 * so a stream that carries a synthesized utterance yields the same anchors at the same relative positions.
 */
export const FINGERPRINT_WINDOW = 64;
const BASE = 0x01000193;
/** Windows quieter than this mean |sample| (about -58 dBFS) are silence: anchoring there would match anything. */
const MIN_WINDOW_ABS_SUM = FINGERPRINT_WINDOW * 40;

const BASE_POW_W1 = ((): number => {
  let p = 1;
  for (let i = 0; i < FINGERPRINT_WINDOW - 1; i++) p = imul(p, BASE);
  return p >>> 0;
})();

/** murmur3's finaliser: spreads the rolling hash so its low bits are uniform. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** About 250-500 anchors per second of audio at any rate. */
export function anchorMaskFor(sampleRate: number): number {
  let n = 1;
  while (n < sampleRate / 500) n *= 2;
  return n - 1;
}

export type AnchorSink = (hash: number, position: number) => void;

/** Streams samples in any chunking and reports each anchor with the absolute position of its window's start. */
export class RollingAnchorHasher {
  private readonly ring = new Int16Array(FINGERPRINT_WINDOW);
  private seen = 0;
  private hash = 0;
  private absSum = 0;

  constructor(
    private readonly mask: number,
    private readonly onAnchor: AnchorSink,
    /** Absolute position of the next sample pushed. */
    private position = 0,
  ) {}

  push(samples: Int16Array): void {
    const W = FINGERPRINT_WINDOW;
    for (let i = 0; i < samples.length; i++) {
      const s = samples[i];
      const slot = this.seen % W;
      if (this.seen >= W) {
        const old = this.ring[slot];
        this.hash = (this.hash - imul(old & 0xffff, BASE_POW_W1)) | 0;
        this.absSum -= old < 0 ? -old : old;
      }
      this.hash = (imul(this.hash, BASE) + (s & 0xffff)) | 0;
      this.absSum += s < 0 ? -s : s;
      this.ring[slot] = s;
      this.seen++;
      this.position++;
      if (this.seen >= W && this.absSum >= MIN_WINDOW_ABS_SUM) {
        const mixed = mix(this.hash);
        if ((mixed & this.mask) === 0) this.onAnchor(mixed, this.position - W);
      }
    }
  }
}

/** All anchors of a complete buffer. */
export function computeAnchors(
  samples: Int16Array,
  sampleRate: number,
): { hashes: Uint32Array; positions: Int32Array } {
  const hashes: number[] = [];
  const positions: number[] = [];
  new RollingAnchorHasher(anchorMaskFor(sampleRate), (h, p) => {
    hashes.push(h);
    positions.push(p);
  }).push(samples);
  return { hashes: Uint32Array.from(hashes), positions: Int32Array.from(positions) };
}
