const TABLE_RESOLUTION = 512; // kernel samples per input-sample distance
// Module-level aliases: global lookups in hot loops are very slow inside vm contexts (Jest's sandbox).
const { abs, ceil, cos, floor, max, min, round, sin, PI } = Math;

/**
 * Band-limited resampling of 16-bit PCM by windowed-sinc interpolation (Blackman window). When downsampling
 * the kernel's cutoff follows the output's Nyquist frequency, so content above it is filtered, not aliased.
 * The kernel is tabulated once per call. Deterministic: the same input always gives the same output
 * (recognition matches on exact samples).
 */
export function resamplePcm16(
  input: Int16Array,
  fromRate: number,
  toRate: number,
  zeroCrossings = 12,
): Int16Array {
  if (!(fromRate > 0 && toRate > 0)) throw new RangeError(`Invalid sample rates ${fromRate} -> ${toRate}`);
  if (fromRate === toRate) return input.slice();
  const outLength = round((input.length * toRate) / fromRate);
  const out = new Int16Array(outLength);
  const step = fromRate / toRate; // input samples per output sample
  const cutoff = min(1, toRate / fromRate) * 0.95; // fraction of the input Nyquist
  const halfWidth = ceil(zeroCrossings / cutoff);
  const table = kernelTable(cutoff, halfWidth);
  for (let n = 0; n < outLength; n++) {
    const t = n * step;
    const centre = floor(t);
    let acc = 0;
    let weights = 0;
    const first = max(0, centre - halfWidth + 1);
    const last = min(input.length - 1, centre + halfWidth);
    for (let i = first; i <= last; i++) {
      const pos = abs(t - i) * TABLE_RESOLUTION;
      const k = floor(pos);
      const w = table[k] + (table[k + 1] - table[k]) * (pos - k);
      acc += input[i] * w;
      weights += w;
    }
    // Normalising by the kernel's sum keeps DC gain at 1, also near the edges where the kernel is cut.
    const value = weights !== 0 ? acc / weights : 0;
    out[n] = value > 32767 ? 32767 : value < -32768 ? -32768 : round(value);
  }
  return out;
}

function kernelTable(cutoff: number, halfWidth: number): Float64Array {
  const size = halfWidth * TABLE_RESOLUTION + 2;
  const table = new Float64Array(size);
  for (let j = 0; j < size; j++) {
    const x = j / TABLE_RESOLUTION;
    if (x >= halfWidth) continue;
    const px = PI * cutoff * x;
    const sinc = x === 0 ? 1 : sin(px) / px;
    const r = (x + halfWidth) / (2 * halfWidth); // 0.5..1: the right half of a symmetric window
    table[j] = sinc * (0.42 - 0.5 * cos(2 * PI * r) + 0.08 * cos(4 * PI * r));
  }
  return table;
}
