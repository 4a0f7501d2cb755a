/** Garbage-collection pauses of the current process between two calls, from `gc` performance entries. */
import { PerformanceObserver, constants, type PerformanceEntry } from 'node:perf_hooks';

export interface GcPauses {
  count: number;
  /** Sum of pause durations, ms. */
  totalMs: number;
  maxMs: number;
  /** Pause total by kind: scavenge (young generation), mark-sweep-compact (full), incremental, weak callbacks. */
  byKindMs: Record<string, number>;
}

const KINDS: Record<number, string> = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'scavenge',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'mark-sweep-compact',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak-callbacks',
};

const round = (ms: number): number => Math.round(ms * 100) / 100;

export function gcPauseMeter(): () => GcPauses {
  let current: GcPauses = { count: 0, totalMs: 0, maxMs: 0, byKindMs: {} };
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries() as Array<PerformanceEntry & { detail?: { kind?: number } }>) {
      const kind = KINDS[entry.detail?.kind ?? -1] ?? 'other';
      current.count++;
      current.totalMs += entry.duration;
      current.maxMs = Math.max(current.maxMs, entry.duration);
      current.byKindMs[kind] = (current.byKindMs[kind] ?? 0) + entry.duration;
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  return () => {
    const pauses = current;
    current = { count: 0, totalMs: 0, maxMs: 0, byKindMs: {} };
    return {
      count: pauses.count,
      totalMs: round(pauses.totalMs),
      maxMs: round(pauses.maxMs),
      byKindMs: Object.fromEntries(Object.entries(pauses.byKindMs).map(([k, v]) => [k, round(v)])),
    };
  };
}
