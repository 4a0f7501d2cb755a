/** Output shared by every benchmark: aligned tables for people, one `BENCH {json}` line for machines. */
import { cpus, totalmem } from 'node:os';

export type Cell = string | number;

/** Prints a table: the first column left-aligned, the others right-aligned (numbers line up). */
export function printTable(title: string, header: readonly string[], rows: readonly Cell[][]): void {
  const text = rows.map((row) => row.map((cell) => (typeof cell === 'number' ? formatNumber(cell) : cell)));
  const widths = header.map((h, i) => Math.max(h.length, ...text.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i])))
      .join('  ')
      .trimEnd();
  console.log('');
  console.log(title);
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of text) console.log(line(row));
}

export function formatNumber(value: number): string {
  if (Number.isNaN(value)) return '-'; // no samples
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  if (abs >= 1000) return Math.round(value).toLocaleString('en-US');
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

export function formatBytes(bytes: number): string {
  const abs = Math.abs(bytes);
  if (abs >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  if (abs >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${Math.round(bytes)} B`;
}

/** `met` / `NOT met` with the measured value, for the target lines every bench prints. */
export function targetLine(what: string, met: boolean, measured: string): string {
  return `target: ${what}: ${met ? 'met' : 'NOT met'} (${measured})`;
}

/** The machine a result came from: absolute numbers mean little without it. */
export function machine(): {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  platform: string;
} {
  const list = cpus();
  return {
    cpus: list.length,
    cpuModel: list[0]?.model ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}

/** The one machine-readable line of a benchmark (run-all collects these). */
export function printBenchLine(result: Record<string, unknown>): void {
  console.log(`BENCH ${JSON.stringify({ ...result, machine: machine(), at: new Date().toISOString() })}`);
}

/** A progress line on stderr, so stdout stays the report. */
export function progress(message: string): void {
  process.stderr.write(`  .. ${message}\n`);
}
