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
  /** Why the run gave up before the end (the server went away), or null. */
  gaveUp: string | null;
}

/** Ids in natural order (`line-2` before `line-10`): failures are recorded as they finish, several at a time. */
const naturalOrder = new Intl.Collator(undefined, { numeric: true }).compare;

/** Failures with the same reason, listed once with their ids (a server that is down fails every line alike). */
function groupedFailures(failed: BatchReport['failed']): string[] {
  const byReason = new Map<string, string[]>();
  for (const { id, reason } of failed) byReason.set(reason, [...(byReason.get(reason) ?? []), id]);
  for (const ids of byReason.values()) ids.sort(naturalOrder);
  const lines: string[] = [];
  for (const [reason, ids] of byReason) {
    if (ids.length === 1) {
      lines.push(`  ${ids[0]}: ${reason}`);
      continue;
    }
    const shown = ids.slice(0, 5).join(', ');
    const more = ids.length > 5 ? ` and ${ids.length - 5} more` : '';
    lines.push(`  ${ids.length} utterances (${shown}${more}): ${reason}`);
  }
  return lines;
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
      ? [
          [report.gaveUp === null ? 'not started (stopped)' : 'not started', String(report.notStarted)] as [
            string,
            string,
          ],
        ]
      : []),
    ['audio', `${report.audioSeconds.toFixed(1)} s (${formatDuration(report.audioSeconds * 1000)})`],
    ['tiers', tiers === '' ? '-' : tiers],
    ['retries', String(report.retries)],
    ['elapsed', formatDuration(report.elapsedMs)],
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  const lines = rows.map(([name, value]) => `  ${name.padEnd(width)}  ${value}`);
  if (report.failed.length > 0) lines.push('', 'failed:', ...groupedFailures(report.failed));
  if (report.gaveUp !== null) lines.push('', `gave up: ${report.gaveUp}`);
  return lines.join('\n');
}
