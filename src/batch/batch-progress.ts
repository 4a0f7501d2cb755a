/** Where a run stands; the progress bar and the summary are drawn from this. */
export interface BatchProgress {
  total: number;
  /** Voiced in this run. */
  done: number;
  /** Already complete from an earlier run. */
  skipped: number;
  failed: number;
  inFlight: number;
  /** Items waiting to retry. */
  retrying: number;
  /** Seconds of audio produced in this run. */
  audioSeconds: number;
  elapsedMs: number;
}

const BAR_WIDTH = 24;

export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mmss = `${String(m).padStart(h > 0 ? 2 : 1, '0')}:${String(s).padStart(2, '0')}`;
  return h > 0 ? `${h}:${mmss}` : mmss;
}

/**
 * One line: bar, counts, rate (utterances voiced per second in this run, so skipped files do not inflate it)
 * and the time left at that rate.
 */
export function renderProgress(p: BatchProgress): string {
  const finished = p.done + p.skipped + p.failed;
  const fraction = p.total === 0 ? 1 : finished / p.total;
  const filled = Math.round(fraction * BAR_WIDTH);
  const bar = `${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}`;
  const seconds = p.elapsedMs / 1000;
  const rate = seconds > 0 ? p.done / seconds : 0;
  const left = p.total - finished;
  const eta = left === 0 ? '0:00' : rate > 0 ? formatDuration((left / rate) * 1000) : '--:--';
  const extras = [
    p.failed > 0 ? `${p.failed} failed` : '',
    p.retrying > 0 ? `${p.retrying} retrying` : '',
    p.skipped > 0 ? `${p.skipped} skipped` : '',
  ].filter((part) => part !== '');
  return (
    `[${bar}] ${finished}/${p.total} ${Math.floor(fraction * 100)}% | ${rate.toFixed(1)}/s | ` +
    `ETA ${eta} | ${p.audioSeconds.toFixed(0)} s audio` +
    (extras.length > 0 ? ` | ${extras.join(', ')}` : '')
  );
}
