import { formatDuration } from './batch-progress';

export interface BatchReport {
  total: number;
  done: number;
  skipped: number;
  failed: { id: string; reason: string }[];
  /** Not attempted because the run was stopped. */
  notStarted: number;
  audioSeconds: number;
  /** Allocation tier of each voiced item, as X-Warmline-Tier reported it. */
  tiers: Record<string, number>;
  retries: number;
  elapsedMs: number;
  stopped: boolean;
}

/** The table printed at the end of a run, followed by each failure and its reason. */
export function renderSummary(report: BatchReport): string {
  const tiers = Object.entries(report.tiers)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([tier, n]) => `${tier} ${n}`)
    .join(', ');
  const rows: [string, string][] = [
    ['utterances', String(report.total)],
    ['done', String(report.done)],
    ['skipped (already complete)', String(report.skipped)],
    ['failed', String(report.failed.length)],
    ...(report.notStarted > 0
      ? [['not started (stopped)', String(report.notStarted)] as [string, string]]
      : []),
    ['audio', `${report.audioSeconds.toFixed(1)} s (${formatDuration(report.audioSeconds * 1000)})`],
    ['tiers', tiers === '' ? '-' : tiers],
    ['retries', String(report.retries)],
    ['elapsed', formatDuration(report.elapsedMs)],
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  const lines = rows.map(([name, value]) => `  ${name.padEnd(width)}  ${value}`);
  if (report.failed.length > 0) {
    lines.push('', 'failed:');
    for (const { id, reason } of report.failed) lines.push(`  ${id}: ${reason}`);
  }
  return lines.join('\n');
}
