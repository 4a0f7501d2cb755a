/** CPU use and event-loop delay of the current process between two calls (for the process benches' reports). */
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

export interface ProcessLoad {
  /** CPU time over wall time since the last call, in % of one core. */
  cpuPercent: number;
  /** Event-loop delay percentiles since the last call, ms. */
  loopDelayMs: { p50: number; p99: number; max: number };
}

const RESOLUTION_MS = 5;
/** The histogram records whole timer periods; what exceeds the period is the delay. */
const delayMs = (ns: number): number => Math.max(0, Math.round((ns / 1e6 - RESOLUTION_MS) * 100) / 100);

export function processLoadMeter(): () => ProcessLoad {
  const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  histogram.enable();
  let cpu = process.cpuUsage();
  let at = performance.now();
  return () => {
    const used = process.cpuUsage(cpu);
    const now = performance.now();
    const load: ProcessLoad = {
      cpuPercent: Math.round(((used.user + used.system) / 1000 / (now - at)) * 1000) / 10,
      loopDelayMs: {
        p50: delayMs(histogram.percentile(50)),
        p99: delayMs(histogram.percentile(99)),
        max: delayMs(histogram.max),
      },
    };
    histogram.reset();
    cpu = process.cpuUsage();
    at = now;
    return load;
  };
}

/**
 * CPU % (of one core) of another process since the previous call, from /proc (Linux; NaN elsewhere), for
 * processes that cannot report themselves (the emulator).
 */
export function procCpuMeter(pid: number): () => number {
  const ticksPerSecond = 100; // USER_HZ: 100 on every mainstream Linux
  const read = (): number => {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond; // utime + stime
    } catch {
      return Number.NaN;
    }
  };
  let cpu = read();
  let at = performance.now();
  return () => {
    const now = performance.now();
    const next = read();
    const percent = Math.round(((next - cpu) / ((now - at) / 1000)) * 1000) / 10;
    cpu = next;
    at = now;
    return percent;
  };
}
