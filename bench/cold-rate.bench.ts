/**
 * Cold rate under arrivals: sessions arrive at steady rates and in a burst (10x the base rate for 2 s) against a
 * TTS pool of warm size 2, with the emulator charging 200 ms per new connection. Each arriving session connects,
 * asks for one synthesis (its first request: WARM or COLD, from the ack's `tier`) and stays connected until its
 * phase ends, so no client comes back to the pool during a phase: every arrival needs a client the refill made.
 * That is the worst case for the refill (long calls); returning clients would only lower the cold share.
 *
 * Recovery after the burst: time from the burst's end until the warm queue is back at its target (pool snapshot
 * polled every 2 ms), next to the connection latency.
 *
 *   npm run bench -- cold-rate
 *   COLD_RATE_PHASE_S=4 npm run bench -- cold-rate     # quicker
 *
 * Emulator: child process. warmline app and its Socket.IO clients: this process.
 */
import { startBenchEmulator } from './support/emulator';
import { printBenchLine, printTable, progress, targetLine } from './support/report';
import { round } from './support/stats';
import { VoiceClient } from './support/voice-client';
import { poolsSettled, startBenchApp, until, type BenchApp } from './support/voice-app';

const CONNECT_LATENCY_MS = 200;
const WARM_SIZE = 2;
const PHASE_S = Number(process.env.COLD_RATE_PHASE_S ?? 8);
const STEADY_RATES = [2, 4, 6, 8, 12, 16];
const BURST_BASE_RATE = 2;
const BURST_FACTOR = 10;
const BURST_S = 2;
const TARGET_COLD_SHARE = 0.05;
const TEXT = 'Hello, you are through to the front desk.';

interface Arrival {
  at: number;
  tier: string | null;
  error?: string;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/**
 * Runs arrivals on a fixed schedule (`schedule` = ms offsets from the phase start), each one a session doing one
 * synthesis; returns the arrivals and the clients still connected.
 */
async function runArrivals(
  app: BenchApp,
  schedule: number[],
): Promise<{ arrivals: Arrival[]; clients: VoiceClient[]; startedAt: number }> {
  const startedAt = performance.now();
  const clients: VoiceClient[] = [];
  const work: Promise<Arrival>[] = [];
  for (const offset of schedule) {
    await sleep(startedAt + offset - performance.now());
    const at = performance.now() - startedAt;
    work.push(
      (async (): Promise<Arrival> => {
        try {
          const client = await VoiceClient.connect({ url: app.url });
          clients.push(client);
          const result = await client.synthesize({ text: TEXT });
          return { at, tier: result.tier, error: result.error?.code };
        } catch (error) {
          return { at, tier: null, error: String(error) };
        }
      })(),
    );
  }
  return { arrivals: await Promise.all(work), clients, startedAt };
}

/** Ends a phase: every session disconnects, the pool gives the surplus back and is warm again. */
async function endPhase(app: BenchApp, clients: VoiceClient[]): Promise<void> {
  await Promise.all(clients.map((c) => c.close()));
  await until(() => app.sessions.size === 0 && app.tts.snapshot().inUse === 0, 30_000, 'sessions released');
  await until(() => poolsSettled(app), 30_000, 'warm pool');
  await sleep(300);
}

const share3 = (value: number): number => Math.round(value * 1000) / 1000;

const evenSchedule = (rate: number, seconds: number, from = 0): number[] =>
  Array.from({ length: Math.round(rate * seconds) }, (_, i) => from + (i * 1000) / rate);

const share = (arrivals: Arrival[], tier: string): number =>
  arrivals.length === 0 ? 0 : arrivals.filter((a) => a.tier === tier).length / arrivals.length;

async function main(): Promise<void> {
  const emulator = await startBenchEmulator('child');
  const app = await startBenchApp({
    speechHost: emulator.url,
    env: {
      SPEECH_POOL_TTS_WARM_SIZE: String(WARM_SIZE),
      SPEECH_POOL_STT_WARM_SIZE: '1',
      SPEECH_POOL_MAX_SIZE: '400', // sessions keep their client for the whole phase
      SESSION_RESUME_GRACE: '0', // between phases the clients come straight back
    },
  });
  await until(() => poolsSettled(app), 30_000, 'warm pools');
  await emulator.setFaults({ connectLatencyMs: CONNECT_LATENCY_MS });

  // Steady rates.
  const steady: { rate: number; sessions: number; cold: number; coldShare: number; errors: number }[] = [];
  for (const rate of STEADY_RATES) {
    progress(`steady ${rate}/s for ${PHASE_S} s`);
    const { arrivals, clients } = await runArrivals(app, evenSchedule(rate, PHASE_S));
    await endPhase(app, clients);
    steady.push({
      rate,
      sessions: arrivals.length,
      cold: arrivals.filter((a) => a.tier === 'cold').length,
      coldShare: share(arrivals, 'cold'),
      errors: arrivals.filter((a) => a.error !== undefined).length,
    });
  }

  // A burst: base rate, 10x for 2 s, base rate again; the warm queue is polled to time the recovery.
  progress(
    `burst: ${BURST_BASE_RATE}/s, ${BURST_BASE_RATE * BURST_FACTOR}/s for ${BURST_S} s, ${BURST_BASE_RATE}/s`,
  );
  const before = evenSchedule(BURST_BASE_RATE, PHASE_S / 2);
  const burstStart = (PHASE_S / 2) * 1000;
  const burstEnd = burstStart + BURST_S * 1000;
  const burst = evenSchedule(BURST_BASE_RATE * BURST_FACTOR, BURST_S, burstStart);
  // The base rate resumes one interval after the burst's last arrival, as a steady stream would.
  const lastBurstArrival = burst[burst.length - 1];
  const after = evenSchedule(BURST_BASE_RATE, PHASE_S / 2, lastBurstArrival + 1000 / BURST_BASE_RATE);
  let recoveredAt: number | null = null;
  let lowestWarm = WARM_SIZE;
  let phaseStart = 0;
  const poll = setInterval(() => {
    if (phaseStart === 0) return;
    const now = performance.now() - phaseStart;
    const snap = app.tts.snapshot();
    if (now >= burstStart && now < burstEnd) lowestWarm = Math.min(lowestWarm, snap.warmPoolSize);
    if (now >= burstEnd && recoveredAt === null && snap.warmPoolSize >= snap.warmPoolTarget)
      recoveredAt = now;
  }, 2);
  const run = runArrivals(app, [...before, ...burst, ...after]);
  phaseStart = performance.now(); // runArrivals starts its clock synchronously, within microseconds of this
  const { arrivals, clients } = await run;
  clearInterval(poll);
  await endPhase(app, clients);

  const inWindow = (from: number, to: number) => arrivals.filter((a) => a.at >= from - 1 && a.at < to - 1);
  const beforeArrivals = inWindow(0, burstStart);
  const burstArrivals = inWindow(burstStart, burstEnd);
  const afterArrivals = inWindow(burstEnd, Number.POSITIVE_INFINITY);
  const recoveryMs = recoveredAt === null ? null : recoveredAt - burstEnd;
  const recoveryFromLastMs = recoveredAt === null ? null : recoveredAt - lastBurstArrival;
  const snapshot = app.tts.snapshot();
  const emulatorStats = await emulator.stats();
  await app.close();
  await emulator.close();

  console.log(
    `cold rate: TTS warm size ${WARM_SIZE}, emulator (${emulator.where}) charging ${CONNECT_LATENCY_MS} ms per new ` +
      `connection, evenly spaced arrivals, each session holds its client until its phase ends`,
  );
  printTable(
    `steady arrivals, ${PHASE_S} s each`,
    ['sessions/s', 'sessions', 'COLD', 'COLD share', 'errors'],
    steady.map((s) => [s.rate, s.sessions, s.cold, `${(s.coldShare * 100).toFixed(1)} %`, s.errors]),
  );
  printTable(
    `burst: ${BURST_BASE_RATE}/s, then ${BURST_BASE_RATE * BURST_FACTOR}/s for ${BURST_S} s, then ${BURST_BASE_RATE}/s`,
    ['window', 'sessions', 'COLD', 'COLD share'],
    [
      ['before the burst', beforeArrivals, 'x'],
      ['during the burst', burstArrivals, 'x'],
      ['after the burst', afterArrivals, 'x'],
    ].map(([label, list]) => {
      const l = list as Arrival[];
      return [
        label as string,
        l.length,
        l.filter((a) => a.tier === 'cold').length,
        `${(share(l, 'cold') * 100).toFixed(1)} %`,
      ];
    }),
  );
  console.log('');
  console.log(
    `warm queue during the burst: lowest ${lowestWarm}; back at target ` +
      (recoveryMs === null || recoveryFromLastMs === null
        ? 'never'
        : `${round(recoveryMs)} ms after the burst ended (${round(recoveryFromLastMs)} ms after its last arrival)`) +
      `; connection latency ${CONNECT_LATENCY_MS} ms`,
  );

  // "Sustainable": the rates at which the refill keeps up in theory, warm size / connection latency.
  const sustainableRate = WARM_SIZE / (CONNECT_LATENCY_MS / 1000);
  const sustainable = steady.filter((s) => s.rate < sustainableRate);
  const worstSustainable = Math.max(0, ...sustainable.map((s) => s.coldShare));
  const coldMet = worstSustainable < TARGET_COLD_SHARE;
  const recoveryMet = recoveryMs !== null && recoveryMs <= CONNECT_LATENCY_MS;
  console.log(
    targetLine(
      `< ${TARGET_COLD_SHARE * 100} % COLD at steady rates below ${sustainableRate}/s (warm size / connection latency)`,
      coldMet,
      `worst ${(worstSustainable * 100).toFixed(1)} %`,
    ),
  );
  console.log(
    targetLine(
      `warm again within one connection latency (${CONNECT_LATENCY_MS} ms) after the burst`,
      recoveryMet,
      recoveryMs === null ? 'never' : `${round(recoveryMs)} ms`,
    ),
  );
  printBenchLine({
    name: 'cold-rate',
    emulator: emulator.where,
    connectLatencyMs: CONNECT_LATENCY_MS,
    warmSize: WARM_SIZE,
    phaseSeconds: PHASE_S,
    steady: steady.map((s) => ({ ...s, coldShare: share3(s.coldShare) })),
    burst: {
      baseRate: BURST_BASE_RATE,
      burstRate: BURST_BASE_RATE * BURST_FACTOR,
      seconds: BURST_S,
      coldShareBefore: share3(share(beforeArrivals, 'cold')),
      coldShareDuring: share3(share(burstArrivals, 'cold')),
      coldShareAfter: share3(share(afterArrivals, 'cold')),
      lowestWarm,
      recoveryMs: recoveryMs === null ? null : round(recoveryMs),
      recoveryFromLastBurstArrivalMs: recoveryFromLastMs === null ? null : round(recoveryFromLastMs),
    },
    poolMetrics: snapshot.metrics,
    emulatorStats,
    targets: {
      coldShareAtSustainableRates: {
        target: TARGET_COLD_SHARE,
        sustainableBelow: sustainableRate,
        worst: share3(worstSustainable),
        met: coldMet,
      },
      recoveryWithinConnectLatency: { target: CONNECT_LATENCY_MS, met: recoveryMet },
    },
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
