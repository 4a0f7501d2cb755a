import type { Registry } from 'prom-client';
import type { CumulativeBuckets } from './cumulative-histogram-window';

/** The voice gateway's histogram of time to first audio byte (seconds, labelled by tier). */
export const FIRST_BYTE_METRIC = 'warmline_voice_tts_first_byte_seconds';

/**
 * Reads the first-byte histogram from the application's registry, summed over tiers: no buckets before the first
 * observation, null when the histogram is not registered (no voice gateway in this application).
 */
export async function readFirstByteHistogram(
  registry: Registry | undefined,
): Promise<CumulativeBuckets | null> {
  const metric = registry?.getSingleMetric(FIRST_BYTE_METRIC);
  if (metric === undefined) return null;
  const { values } = await metric.get();
  const byBound = new Map<number, number>();
  for (const entry of values) {
    // Histograms name their series (`_bucket`, `_sum`, `_count`); the registry's type is that of any metric.
    const { labels, value } = entry;
    if ((entry as { metricName?: string }).metricName !== `${FIRST_BYTE_METRIC}_bucket`) continue;
    const le = labels.le === '+Inf' ? Infinity : Number(labels.le);
    if (Number.isNaN(le)) continue;
    byBound.set(le, (byBound.get(le) ?? 0) + value);
  }
  const upperBounds = [...byBound.keys()].sort((a, b) => a - b);
  return { upperBounds, counts: upperBounds.map((le) => byBound.get(le) ?? 0) };
}
