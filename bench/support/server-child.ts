/**
 * warmline alone in a child process (memory and scale benchmarks measure the server, not the load generator),
 * booted like the in-process benches. Started by `startServerProcess`; answers over IPC.
 */
import { serveParent } from './child';
import { processLoadMeter } from './process-load';
import { gcPauseMeter } from './voice-gc';
import { roundSummary, summarize } from './stats';
import { poolsSettled, settleBenchApp, startBenchApp, until } from './voice-app';

interface ServerChildConfig {
  speechHost: string;
  env: Record<string, string>;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const config = JSON.parse(process.env.BENCH_SERVER_CONFIG ?? '{}') as ServerChildConfig;
  const app = await startBenchApp({ speechHost: config.speechHost, env: config.env });
  await until(() => poolsSettled(app), 60_000, 'warm pools');

  const load = processLoadMeter();
  const gc = gcPauseMeter();
  const snapshot = () => ({ tts: app.tts.snapshot(), stt: app.stt.snapshot(), sessions: app.sessions.size });
  serveParent(
    { url: app.url, pid: process.pid },
    {
      snapshot,
      /** CPU % and event-loop delay since the previous call. */
      load,
      /** GC pauses since the previous call. */
      gc,
      /** Forced full GCs first (needs --expose-gc), so the numbers are live memory, not garbage not yet collected. */
      memory: async () => {
        for (let i = 0; i < 3; i++) {
          global.gc?.();
          await sleep(20);
        }
        return process.memoryUsage();
      },
      /** Allocation latencies recorded since the last call, summarised per pool and tier. */
      allocations: () => {
        const groups = new Map<string, number[]>();
        for (const s of app.allocations.samples) {
          const key = `${s.pool}/${s.tier}`;
          groups.set(key, [...(groups.get(key) ?? []), s.ms]);
        }
        const all = app.allocations.samples.map((s) => s.ms);
        app.allocations.clear();
        return {
          all: roundSummary(summarize(all)),
          byTier: Object.fromEntries([...groups].map(([k, v]) => [k, roundSummary(summarize(v))])),
        };
      },
      /** Waits until every session has ended and its clients are back, and the warm queues are full again. */
      settle: async (timeoutMs: unknown) => {
        await settleBenchApp(app, typeof timeoutMs === 'number' ? timeoutMs : 60_000);
        return snapshot();
      },
    },
    () => app.close(),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
