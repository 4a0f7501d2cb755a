/** Starts warmline in a child process (see server-child.ts) and talks to it. */
import { join } from 'node:path';
import { forkTs, type Child } from './child';
import type { ProcessLoad } from './process-load';
import type { GcPauses } from './voice-gc';
import type { PoolBooks } from './voice-app';

export interface ServerSnapshot {
  tts: PoolBooks;
  stt: PoolBooks;
  sessions: number;
}

export interface ServerProcess {
  url: string;
  pid: number;
  child: Child<{ url: string; pid: number }>;
  snapshot(): Promise<ServerSnapshot>;
  /** process.memoryUsage() after forced GCs. */
  memory(): Promise<NodeJS.MemoryUsage>;
  settle(timeoutMs?: number): Promise<ServerSnapshot>;
  /** CPU % and event-loop delay since the previous call. */
  load(): Promise<ProcessLoad>;
  /** GC pauses since the previous call. */
  gc(): Promise<GcPauses>;
  allocations(): Promise<{ all: Record<string, number>; byTier: Record<string, Record<string, number>> }>;
  close(): Promise<void>;
}

export async function startServerProcess(options: {
  speechHost: string;
  env: Record<string, string>;
  nodeFlags?: string[];
}): Promise<ServerProcess> {
  const child = await forkTs<{ url: string; pid: number }>(join(__dirname, 'server-child.ts'), {
    nodeFlags: options.nodeFlags,
    env: {
      BENCH_SERVER_CONFIG: JSON.stringify({ speechHost: options.speechHost, env: options.env }),
    },
    startTimeoutMs: 120_000,
  });
  return {
    url: child.info.url,
    pid: child.info.pid,
    child,
    snapshot: () => child.call('snapshot'),
    memory: () => child.call('memory'),
    settle: (timeoutMs = 60_000) => child.call('settle', timeoutMs, timeoutMs + 5_000),
    allocations: () => child.call('allocations'),
    load: () => child.call('load'),
    gc: () => child.call('gc'),
    close: () => child.stop(30_000),
  };
}
