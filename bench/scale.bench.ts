/**
 * Scale: 10,000 concurrent Socket.IO sessions on one warmline process, 1,000 of them active: activated over 10 s
 * (each one's first request takes a WARM or COLD synthesizer and keeps it), then each synthesizing a short sentence
 * once every 10 s for 30 s (~100 syntheses/s on DEDICATED synthesizers). p99 of allocation latency (timed around
 * the pool's acquireForSession) and of gateway overhead (what the client saw minus what the server measured for the same
 * request: Socket.IO in and out, admission, the session queue); /health/ready polled every second throughout.
 *
 *   npm run bench -- scale
 *   SCALE_SESSIONS=2000 SCALE_ACTIVE=200 npm run bench -- scale     # quicker
 *
 * Server, emulator and load generator: three separate processes (the load generator must not share the server's
 * CPU or file descriptors). If the sessions cannot all be opened, the highest number reached is reported.
 * The server's GC pauses (PerformanceObserver on `gc` entries) are reported per phase next to its event-loop
 * delay; SCALE_SERVER_FLAGS adds V8 flags to the server (e.g. --max-semi-space-size=64) to compare heap settings.
 */
import { execSync } from 'node:child_process';
import { join } from 'node:path';
import { forkTs } from './support/child';
import { startBenchEmulator } from './support/emulator';
import { formatBytes, printBenchLine, printTable, progress, targetLine } from './support/report';
import { loadavg } from 'node:os';
import { procCpuMeter, type ProcessLoad } from './support/process-load';
import { startServerProcess } from './support/server-process';
import type { GcPauses } from './support/voice-gc';
import { round, summarize, type Summary } from './support/stats';

const SESSIONS = Number(process.env.SCALE_SESSIONS ?? 10_000);
const ACTIVE = Number(process.env.SCALE_ACTIVE ?? 1_000);
const CONNECT_RATE = Number(process.env.SCALE_CONNECT_RATE ?? 500);
const ACTIVE_SECONDS = Number(process.env.SCALE_ACTIVE_S ?? 30);
const ACTIVE_INTERVAL_MS = Number(process.env.SCALE_INTERVAL_MS ?? 10_000);
const RAMP_S = Number(process.env.SCALE_RAMP_S ?? 10);
const TEXT = 'Sure, one moment.';
const TARGET_READY_SHARE = 1;
/** Steady phase: p99 of gateway overhead and the server's worst event-loop stall. */
const TARGET_OVERHEAD_P99_MS = 50;
const TARGET_LOOP_MAX_MS = 100;

interface ActivateResult {
  requests: number;
  completed: number;
  seconds: number;
  perSecond: number;
  firstByteMs: Summary;
  serverFirstByteMs: Summary;
  overheadMs: Summary;
  tiers: Record<string, number>;
  errors: Record<string, number>;
}

interface LoadStatus {
  connected: number;
  connecting: number;
  errors: Record<string, number>;
  memory: NodeJS.MemoryUsage;
}

/** Polls /health/ready once a second; counts answers by status. */
function watchReadiness(url: string) {
  const statuses: Record<string, number> = {};
  const latencies: number[] = [];
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const started = performance.now();
      try {
        const response = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(5_000) });
        await response.text();
        statuses[response.status] = (statuses[response.status] ?? 0) + 1;
      } catch (error) {
        const key = error instanceof Error && error.name === 'TimeoutError' ? 'timeout' : 'error';
        statuses[key] = (statuses[key] ?? 0) + 1;
      }
      latencies.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  })();
  return {
    statuses,
    latencies,
    stop: async () => {
      stopped = true;
      await loop;
    },
  };
}

function fdLimit(): number {
  try {
    return Number(execSync('ulimit -n', { shell: '/bin/sh' }).toString().trim());
  } catch {
    return Number.NaN;
  }
}

async function main(): Promise<void> {
  const limit = fdLimit();
  const needed = SESSIONS + ACTIVE + 500;
  if (Number.isFinite(limit) && limit < needed) {
    console.error(`ulimit -n is ${limit}; ${SESSIONS} sessions need about ${needed} descriptors per process`);
    console.error(
      `raise it (ulimit -n ${needed}) or run fewer: SCALE_SESSIONS=${Math.max(100, limit - ACTIVE - 500)}`,
    );
  }
  const emulator = await startBenchEmulator('child');
  const server = await startServerProcess({
    speechHost: emulator.url,
    env: {
      SPEECH_POOL_TTS_MAX_SIZE: String(ACTIVE + 100), // every active session keeps a DEDICATED synthesizer
      SPEECH_POOL_TTS_WARM_SIZE: '8',
    },
    nodeFlags: [
      '--max-old-space-size=4096',
      '--expose-gc', // memory readings after forced full GCs (taken between phases, outside the measured ones)
      ...(process.env.SCALE_SERVER_FLAGS ?? '').split(' ').filter(Boolean),
    ],
  });
  const load = await forkTs<{ pid: number }>(join(__dirname, 'support', 'load-child.ts'), {
    nodeFlags: ['--max-old-space-size=4096'],
  });
  const readiness = watchReadiness(server.url);
  const started = Date.now();
  const loads: {
    phase: string;
    server: ProcessLoad;
    serverGc: GcPauses;
    loadGenerator: ProcessLoad;
    emulatorCpuPercent: number;
    machineLoad1m: number;
  }[] = [];
  const emulatorCpu = procCpuMeter(emulator.pid);
  const phaseLoad = async (phase: string): Promise<void> => {
    const [serverLoad, serverGc, generatorLoad] = await Promise.all([
      server.load(),
      server.gc(),
      load.call<ProcessLoad>('load'),
    ]);
    const emulatorCpuPercent = emulatorCpu();
    const machineLoad1m = Math.round(loadavg()[0] * 100) / 100;
    if (phase !== '') {
      loads.push({
        phase,
        server: serverLoad,
        serverGc,
        loadGenerator: generatorLoad,
        emulatorCpuPercent,
        machineLoad1m,
      });
    }
  };
  await phaseLoad('');
  const beforeConnect = await server.memory();
  await server.gc(); // the forced GCs of a memory reading are not part of any phase

  progress(`connecting ${SESSIONS} sessions at ${CONNECT_RATE}/s`);
  const ticker = setInterval(() => {
    void load.call<LoadStatus>('status').then(
      (s) => progress(`${s.connected} connected, ${s.connecting} connecting`),
      () => undefined,
    );
  }, 5_000);
  const connect = await load.call<{ connected: number; failed: number; seconds: number }>('connect', {
    url: server.url,
    count: SESSIONS,
    rate: CONNECT_RATE,
    maxPending: 200,
  });
  clearInterval(ticker);
  await phaseLoad(`connect ${SESSIONS}`);
  const idleServer = await server.snapshot();
  const afterConnect = await server.memory();
  await server.gc();
  await server.allocations(); // clear: the active phase is measured on its own

  progress(`activating ${ACTIVE} sessions over ${RAMP_S} s (first request each: WARM or COLD)`);
  const activation = await load.call<ActivateResult>(
    'activate',
    { count: ACTIVE, rampMs: RAMP_S * 1000, text: TEXT },
    (RAMP_S + 120) * 1000,
  );
  await phaseLoad('activation');
  const activationAllocations = await server.allocations();
  progress(
    `${ACTIVE} active sessions for ${ACTIVE_SECONDS} s, one synthesis per ${ACTIVE_INTERVAL_MS} ms each`,
  );
  const active = await load.call<ActivateResult>(
    'run',
    { count: ACTIVE, intervalMs: ACTIVE_INTERVAL_MS, durationMs: ACTIVE_SECONDS * 1000, text: TEXT },
    (ACTIVE_SECONDS + 120) * 1000,
  );
  await phaseLoad('steady');
  const allocations = await server.allocations();
  const activeSnapshot = await server.snapshot();
  const loadStatus = await load.call<LoadStatus>('status');
  const peakMemory = await server.memory();

  progress('disconnecting');
  await load.call('disconnect', undefined, 120_000);
  await readiness.stop();
  const final = await server.settle(120_000);
  await load.stop();
  await server.close();
  const emulatorStats = await emulator.stats();
  await emulator.close();

  const heapPerSession = (afterConnect.heapUsed - beforeConnect.heapUsed) / Math.max(1, connect.connected);
  const ready = readiness.statuses['200'] ?? 0;
  const polls = Object.values(readiness.statuses).reduce((a, b) => a + b, 0);
  const readyLatency = summarize(readiness.latencies);
  console.log(
    `scale: server, emulator (${emulator.where}) and load generator in three processes; ulimit -n ${limit}; ` +
      `${Math.round((Date.now() - started) / 1000)} s`,
  );
  printTable(
    'sessions',
    ['measure', 'value'],
    [
      ['sessions asked for', SESSIONS],
      ['sessions connected (highest reached)', connect.connected],
      ['connect failures', connect.failed],
      ['connect phase, s', connect.seconds],
      ['sessions the server counted', idleServer.sessions],
      ['server RSS with all sessions idle', formatBytes(afterConnect.rss)],
      ['server heap with all sessions idle', formatBytes(afterConnect.heapUsed)],
      ['server heap per idle session', formatBytes(heapPerSession)],
      ['server RSS after the active phase', formatBytes(peakMemory.rss)],
      ['load generator RSS', formatBytes(loadStatus.memory.rss)],
      ['sessions still connected after the active phase', loadStatus.connected],
    ],
  );
  const phaseRows = (alloc: typeof allocations, clientSide: ActivateResult) =>
    [
      ['allocation latency (pool, all tiers)', alloc.all],
      ...Object.entries(alloc.byTier).map(([tier, s]) => [`allocation latency: ${tier}`, s] as const),
      ['gateway overhead (client - server first byte)', clientSide.overheadMs],
      ['first byte, client-seen', clientSide.firstByteMs],
      ['first byte, server-reported', clientSide.serverFirstByteMs],
    ].map(([label, s]) => {
      const summary = s as Summary;
      return [label as string, summary.n, summary.p50, summary.p95, summary.p99, summary.max];
    });
  printTable(
    `activation: ${ACTIVE} sessions make their first request within ${RAMP_S} s (${round(activation.perSecond)}/s)`,
    ['measure, ms', 'n', 'p50', 'p95', 'p99', 'max'],
    phaseRows(activationAllocations, activation),
  );
  printTable(
    `steady: ${ACTIVE} active sessions x one synthesis per ${ACTIVE_INTERVAL_MS / 1000} s for ${ACTIVE_SECONDS} s ` +
      `(${round(active.perSecond)} syntheses/s completed), ${connect.connected - ACTIVE} sessions idle`,
    ['measure, ms', 'n', 'p50', 'p95', 'p99', 'max'],
    phaseRows(allocations, active),
  );
  printTable(
    'processes (CPU in % of one core; event-loop delay in ms)',
    [
      'phase',
      'server CPU',
      'server loop p50/p99/max',
      'server GC pauses: n, total / max ms',
      'load gen. CPU',
      'load gen. loop p50/p99/max',
      'emulator CPU',
      'machine load (1 min)',
    ],
    loads.map((l) => [
      l.phase,
      `${l.server.cpuPercent} %`,
      `${l.server.loopDelayMs.p50} / ${l.server.loopDelayMs.p99} / ${l.server.loopDelayMs.max}`,
      `${l.serverGc.count}, ${l.serverGc.totalMs} / ${l.serverGc.maxMs}`,
      `${l.loadGenerator.cpuPercent} %`,
      `${l.loadGenerator.loopDelayMs.p50} / ${l.loadGenerator.loopDelayMs.p99} / ${l.loadGenerator.loopDelayMs.max}`,
      `${l.emulatorCpuPercent} %`,
      l.machineLoad1m,
    ]),
  );
  printTable(
    'readiness (GET /health/ready every second, whole run)',
    ['measure', 'value'],
    [
      ['answers by status', JSON.stringify(readiness.statuses)],
      ['ready share', `${((ready / Math.max(1, polls)) * 100).toFixed(1)} %`],
      [
        'response time p50 / p99 / max, ms',
        `${round(readyLatency.p50)} / ${round(readyLatency.p99)} / ${round(readyLatency.max)}`,
      ],
    ],
  );
  console.log('');
  console.log(
    `requests: activation ${activation.completed}/${activation.requests} completed, tiers ` +
      `${JSON.stringify(activation.tiers)}, errors ${JSON.stringify(activation.errors)}; steady ` +
      `${active.completed}/${active.requests} completed, tiers ${JSON.stringify(active.tiers)}, errors ` +
      `${JSON.stringify(active.errors)}; connection errors ${JSON.stringify(loadStatus.errors)}`,
  );
  console.log(
    `after disconnect: ${final.sessions} sessions, TTS pool size ${final.tts.size} (created ` +
      `${final.tts.metrics.resourcesCreated}, destroyed ${final.tts.metrics.resourcesDestroyed}); emulator peak ` +
      `${emulatorStats.connectionsPeak} connections`,
  );
  const reached = connect.connected >= SESSIONS;
  const readyMet = polls > 0 && ready / polls >= TARGET_READY_SHARE;
  console.log(
    targetLine(`${SESSIONS} concurrent sessions on one process`, reached, `${connect.connected} reached`),
  );
  console.log(
    targetLine('process stays ready (/health/ready 200 on every poll)', readyMet, `${ready}/${polls}`),
  );
  const steadyLoad = loads.find((l) => l.phase === 'steady');
  const overheadMet = active.overheadMs.p99 <= TARGET_OVERHEAD_P99_MS;
  const loopMet = steadyLoad !== undefined && steadyLoad.server.loopDelayMs.max <= TARGET_LOOP_MAX_MS;
  console.log(
    targetLine(
      `steady: p99 gateway overhead <= ${TARGET_OVERHEAD_P99_MS} ms`,
      overheadMet,
      `${round(active.overheadMs.p99)} ms (p50 ${round(active.overheadMs.p50)} ms)`,
    ),
  );
  console.log(
    targetLine(
      `steady: server event-loop max <= ${TARGET_LOOP_MAX_MS} ms`,
      loopMet,
      `${steadyLoad?.server.loopDelayMs.max} ms; GC ${steadyLoad?.serverGc.count} pauses, ` +
        `${steadyLoad?.serverGc.totalMs} ms in total, longest ${steadyLoad?.serverGc.maxMs} ms ` +
        `(${JSON.stringify(steadyLoad?.serverGc.byKindMs)})`,
    ),
  );
  console.log(`steady state: p99 allocation latency ${round(allocations.all.p99)} ms`);
  printBenchLine({
    name: 'scale',
    processes: { server: 'child', emulator: emulator.where, loadGenerator: 'child' },
    fdLimit: limit,
    sessions: {
      asked: SESSIONS,
      connected: connect.connected,
      failed: connect.failed,
      connectSeconds: round(connect.seconds),
    },
    activation: {
      sessions: ACTIVE,
      rampSeconds: RAMP_S,
      ...activation,
      allocationLatencyMs: activationAllocations,
    },
    steady: {
      sessions: ACTIVE,
      intervalMs: ACTIVE_INTERVAL_MS,
      plannedSeconds: ACTIVE_SECONDS,
      ...active,
      allocationLatencyMs: allocations,
    },
    activeSnapshot: { tts: activeSnapshot.tts, sessions: activeSnapshot.sessions },
    serverMemory: {
      beforeConnect,
      idle: afterConnect,
      afterActive: peakMemory,
      heapPerIdleSessionBytes: Math.round(heapPerSession),
    },
    serverFlags: process.env.SCALE_SERVER_FLAGS ?? '',
    readiness: { statuses: readiness.statuses, responseMs: readyLatency },
    processLoad: loads,
    targets: {
      sessions: { target: SESSIONS, met: reached },
      ready: { met: readyMet },
      steadyOverheadP99Ms: { target: TARGET_OVERHEAD_P99_MS, met: overheadMet },
      steadyLoopMaxMs: { target: TARGET_LOOP_MAX_MS, met: loopMet },
    },
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
