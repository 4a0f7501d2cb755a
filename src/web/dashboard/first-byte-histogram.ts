import type { Registry } from 'prom-client';
import { TTS_FIRST_BYTE_METRIC as FIRST_BYTE_METRIC } from '../../metrics/speech-metrics';
import type { CumulativeBuckets } from './cumulative-histogram-window';

/**
 * Reads the first-byte histogram (SpeechMetrics) from the application's registry, summed over transports and tiers: no buckets before the first
 * observation, null when the histogram is not registered (no speech service in this application).
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
