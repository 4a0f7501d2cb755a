/**
 * Cold rate and connection reuse under session churn. Short voice sessions (connect, 1-3 requests, disconnect)
 * arrive at steady rates and in a burst (10x the base rate for 2 s) against pools of warm size 2, with the
 * emulator charging 200 ms per new connection. For each phase: the share of sessions whose first request was
 * served COLD, and the upstream connections opened per session (the emulator's own count: against Azure each one
 * costs a TLS + websocket upgrade and counts against the resource's connection limits). Returning clients are
 * kept warm up to SPEECH_POOL_WARM_MAX, so under steady churn the pool should stop creating.
 *
 * The steady phases run with the production defaults (warm max 2 x warm size, trim idle 60 s, maintenance every
 * 30 s). The burst runs on a second app whose trim idle (3 s) and maintenance period (1 s) are shortened, so the
 * bench can time the trim without waiting minutes: after the burst, the time from the last session's end until
 * maintenance has trimmed the unused extras back to the warm size (bound: trim idle + one maintenance period).
 *
 * STT: the same figure for recognitions. Recognizers are single-use (one audio stream each), so expect one
 * connection per recognition.
 *
 *   npm run bench -- cold-rate
 *   COLD_RATE_PHASE_S=4 npm run bench -- cold-rate     # quicker
 *
 * Emulator: child process. warmline app and its Socket.IO clients: this process.
 */
import { startBenchEmulator, type BenchEmulator } from './support/emulator';
import { printBenchLine, printTable, progress, targetLine } from './support/report';
import { round } from './support/stats';
import { VoiceClient } from '../src/client';
import { timedSynthesis, timedRecognition } from './support/timed-voice';
import { poolsSettled, startBenchApp, until, type BenchApp } from './support/voice-app';

const CONNECT_LATENCY_MS = 200;
const WARM_SIZE = 2;
const WARM_MAX = 2 * WARM_SIZE;
/** Burst app only; the steady phases use the defaults. */
const TRIM_IDLE_S = 3;
const MAINTENANCE_S = 1;
const PHASE_S = Number(process.env.COLD_RATE_PHASE_S ?? 8);
const STEADY_RATES = [2, 4, 6, 8, 12, 16];
/** The rates the targets are judged at (the issue's "2-8 sessions/s"). */
const TARGET_MAX_RATE = 8;
const STT_RATES = [2, 4];
const BURST_BASE_RATE = 2;
const BURST_FACTOR = 10;
const BURST_S = 2;
const TARGET_COLD_SHARE = 0.05;
const TARGET_CONNECTIONS_PER_SESSION = 0.1;
const TEXT = 'Hello, you are through to the front desk.';

interface SessionResult {
  at: number;
  /** Tier of the session's first request (its allocation). */
  tier: string | null;
  requests: number;
  error?: string;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** 1, 2, 3, 1, 2, 3 ... requests per session. */
const requestsOf = (n: number): number => (n % 3) + 1;

type SessionWork = (
  client: VoiceClient,
  requests: number,
) => Promise<{ tier: string | null; error?: string }>;

const synthesizeEach: SessionWork = async (client, requests) => {
  let tier: string | null = null;
  for (let i = 0; i < requests; i++) {
    const result = await timedSynthesis(client, { text: TEXT });
    if (result.error !== undefined) return { tier, error: result.error.code };
    tier ??= result.tier;
  }
  return { tier };
};

const recognizeEach =
  (audio: Buffer): SessionWork =>
  async (client, requests) => {
    let tier: string | null = null;
    for (let i = 0; i < requests; i++) {
      const result = await timedRecognition(client, audio, { sampleRate: 16_000 });
      if (result.error !== undefined) return { tier, error: result.error.code };
      tier ??= result.tier;
    }
    return { tier };
  };

/** Runs sessions on a fixed schedule (ms offsets from the phase start): connect, `work`, disconnect. */
async function runSessions(app: BenchApp, schedule: number[], work: SessionWork): Promise<SessionResult[]> {
  const startedAt = performance.now();
  const sessions: Promise<SessionResult>[] = [];
  for (const [n, offset] of schedule.entries()) {
    await sleep(startedAt + offset - performance.now());
    const at = performance.now() - startedAt;
    const requests = requestsOf(n);
    sessions.push(
      (async (): Promise<SessionResult> => {
        let client: VoiceClient | null = null;
        try {
          client = await VoiceClient.connect({ url: app.url });
          return { at, requests, ...(await work(client, requests)) };
        } catch (error) {
          return { at, requests, tier: null, error: String(error) };
        } finally {
          client?.close();
        }
      })(),
    );
  }
  return Promise.all(sessions);
}

/** Every session has given its clients back and the pools are warm again. */
async function settle(app: BenchApp): Promise<void> {
  await until(
    () => app.sessions.size === 0 && app.tts.snapshot().inUse === 0 && app.stt.snapshot().inUse === 0,
    30_000,
    'sessions released',
  );
  await until(() => poolsSettled(app), 30_000, 'warm pools');
  await sleep(100);
}

interface PhaseResult {
  label: string;
  rate: number;
  sessions: number;
  requests: number;
  cold: number;
  coldShare: number;
  errors: number;
  /** Upstream connections the emulator accepted during the phase (and its settling). */
  connections: number;
  connectionsPerSession: number;
  connectionsPerRequest: number;
  /** Clients the pool under test created. */
  created: number;
}

async function phase(
  app: BenchApp,
  emulator: BenchEmulator,
  pool: 'tts' | 'stt',
  label: string,
  rate: number,
  schedule: number[],
  work: SessionWork,
): Promise<{ result: PhaseResult; sessions: SessionResult[] }> {
  const before = (await emulator.stats()).connectionsTotal;
  const createdBefore = app[pool].snapshot().metrics.resourcesCreated;
  const sessions = await runSessions(app, schedule, work);
  await settle(app);
  const connections = (await emulator.stats()).connectionsTotal - before;
  const requests = sessions.reduce((sum, s) => sum + s.requests, 0);
  const cold = sessions.filter((s) => s.tier === 'cold').length;
  return {
    sessions,
    result: {
      label,
      rate,
      sessions: sessions.length,
      requests,
      cold,
      coldShare: share(sessions, 'cold'),
      errors: sessions.filter((s) => s.error !== undefined).length,
      connections,
      connectionsPerSession: sessions.length === 0 ? 0 : connections / sessions.length,
      connectionsPerRequest: requests === 0 ? 0 : connections / requests,
      created: app[pool].snapshot().metrics.resourcesCreated - createdBefore,
    },
  };
}

const share3 = (value: number): number => Math.round(value * 1000) / 1000;

const evenSchedule = (rate: number, seconds: number, from = 0): number[] =>
  Array.from({ length: Math.round(rate * seconds) }, (_, i) => from + (i * 1000) / rate);

const share = (sessions: SessionResult[], tier: string): number =>
  sessions.length === 0 ? 0 : sessions.filter((s) => s.tier === tier).length / sessions.length;

const phaseRow = (p: PhaseResult): (string | number)[] => [
  p.label,
  p.sessions,
  p.requests,
  p.cold,
  `${(p.coldShare * 100).toFixed(1)} %`,
  p.connections,
  p.connectionsPerSession.toFixed(3),
  p.errors,
];
const PHASE_HEADER = [
  'sessions/s',
  'sessions',
  'requests',
  'COLD',
  'COLD share',
  'connections',
  'conn/session',
  'errors',
];

async function main(): Promise<void> {
  const emulator = await startBenchEmulator('child');
  const boot = async (env: Record<string, string>): Promise<BenchApp> => {
    await emulator.setFaults({ connectLatencyMs: 0 });
    const booted = await startBenchApp({
      speechHost: emulator.url,
      env: {
        SPEECH_POOL_TTS_WARM_SIZE: String(WARM_SIZE),
        SPEECH_POOL_STT_WARM_SIZE: String(WARM_SIZE),
        SPEECH_POOL_MAX_SIZE: '400',
        SESSION_RESUME_GRACE: '0', // a session's clients come straight back when it disconnects
        ...env,
      },
    });
    await until(() => poolsSettled(booted), 30_000, 'warm pools');
    await emulator.setFaults({ connectLatencyMs: CONNECT_LATENCY_MS });
    return booted;
  };
  let app = await boot({});
  const steadySnapshot = app.tts.snapshot();

  // Audio for the recognitions: the synthesis of TEXT at 16 kHz (recognized back as TEXT by the emulator).
  const speaker = await VoiceClient.connect({ url: app.url });
  const spoken = await timedSynthesis(speaker, { text: TEXT, format: 'pcm-16k' }, true);
  speaker.close();
  if (spoken.audio === undefined || spoken.audio.length === 0) throw new Error('no audio for the STT phases');
  const audio = spoken.audio;
  await settle(app);

  const steady: PhaseResult[] = [];
  for (const rate of STEADY_RATES) {
    progress(`TTS steady ${rate}/s for ${PHASE_S} s`);
    steady.push(
      (await phase(app, emulator, 'tts', String(rate), rate, evenSchedule(rate, PHASE_S), synthesizeEach))
        .result,
    );
  }

  const stt: PhaseResult[] = [];
  for (const rate of STT_RATES) {
    progress(`STT steady ${rate}/s for ${PHASE_S} s`);
    stt.push(
      (
        await phase(
          app,
          emulator,
          'stt',
          String(rate),
          rate,
          evenSchedule(rate, PHASE_S),
          recognizeEach(audio),
        )
      ).result,
    );
  }

  const steadyMetrics = { tts: app.tts.snapshot().metrics, stt: app.stt.snapshot().metrics };
  await app.close();
  app = await boot({
    SPEECH_POOL_WARM_MAX: String(WARM_MAX),
    SPEECH_POOL_TRIM_IDLE: String(TRIM_IDLE_S),
    SPEECH_POOL_WARMUP_INTERVAL: String(MAINTENANCE_S),
  });
  const burstApp = app;

  // A burst: base rate, 10x for 2 s, base rate again; the warm stack is polled during and after it.
  progress(
    `TTS burst: ${BURST_BASE_RATE}/s, ${BURST_BASE_RATE * BURST_FACTOR}/s for ${BURST_S} s, ${BURST_BASE_RATE}/s`,
  );
  const beforeBurst = evenSchedule(BURST_BASE_RATE, PHASE_S / 2);
  const burstStart = (PHASE_S / 2) * 1000;
  const burstEnd = burstStart + BURST_S * 1000;
  const burstSchedule = evenSchedule(BURST_BASE_RATE * BURST_FACTOR, BURST_S, burstStart);
  const lastBurstArrival = burstSchedule[burstSchedule.length - 1];
  const afterBurst = evenSchedule(BURST_BASE_RATE, PHASE_S / 2, lastBurstArrival + 1000 / BURST_BASE_RATE);
  let lowestWarm = WARM_SIZE;
  let peakWarm = 0;
  let recoveredAt: number | null = null;
  const phaseStart = performance.now();
  const poll = setInterval(() => {
    const now = performance.now() - phaseStart;
    const snap = burstApp.tts.snapshot();
    if (now >= burstStart && now < burstEnd) lowestWarm = Math.min(lowestWarm, snap.warmPoolSize);
    if (now >= burstEnd && recoveredAt === null && snap.warmPoolSize >= snap.warmPoolTarget)
      recoveredAt = now;
    peakWarm = Math.max(peakWarm, snap.warmPoolSize);
  }, 2);
  const burstPhase = runSessions(app, [...beforeBurst, ...burstSchedule, ...afterBurst], synthesizeEach);
  const burstConnectionsBefore = (await emulator.stats()).connectionsTotal;
  const burstSessions = await burstPhase;
  await until(() => app.sessions.size === 0 && app.tts.snapshot().inUse === 0, 30_000, 'sessions released');
  const endedAt = performance.now();
  const trimmedBefore = app.tts.snapshot().metrics.resourcesTrimmed ?? 0;
  const trimBoundMs = (TRIM_IDLE_S + MAINTENANCE_S) * 1000;
  let trimmedBackMs: number | null = null;
  try {
    await until(
      () => app.tts.snapshot().warmPoolSize <= WARM_SIZE,
      3 * trimBoundMs + 5_000,
      'warm extras trimmed',
    );
    trimmedBackMs = performance.now() - endedAt;
  } catch {
    trimmedBackMs = null; // reported as "never" below
  }
  clearInterval(poll);
  const trimmed = (app.tts.snapshot().metrics.resourcesTrimmed ?? 0) - trimmedBefore;
  await settle(app);
  const burstConnections = (await emulator.stats()).connectionsTotal - burstConnectionsBefore;

  const inWindow = (from: number, to: number) =>
    burstSessions.filter((s) => s.at >= from - 1 && s.at < to - 1);
  const windows: [string, SessionResult[]][] = [
    ['before the burst', inWindow(0, burstStart)],
    ['during the burst', inWindow(burstStart, burstEnd)],
    ['after the burst', inWindow(burstEnd, Number.POSITIVE_INFINITY)],
  ];
  const recoveryMs = recoveredAt === null ? null : recoveredAt - burstEnd;
  const snapshot = app.tts.snapshot();
  const emulatorStats = await emulator.stats();
  await app.close();
  await emulator.close();

  console.log(
    `cold rate and connection reuse: warm size ${WARM_SIZE} (kept warm up to ${steadySnapshot.warmPoolMax ?? '?'}, ` +
      `trim idle and maintenance at their defaults), emulator (${emulator.where}) charging ${CONNECT_LATENCY_MS} ms ` +
      `per new connection, evenly spaced short sessions of 1-3 requests each`,
  );
  printTable(`TTS, steady arrivals, ${PHASE_S} s each`, PHASE_HEADER, steady.map(phaseRow));
  printTable(
    `STT (single-use recognizers), steady arrivals, ${PHASE_S} s each`,
    [...PHASE_HEADER.slice(0, 7), 'conn/recognition', 'errors'],
    stt.map((p) => [...phaseRow(p).slice(0, 7), p.connectionsPerRequest.toFixed(3), p.errors]),
  );
  printTable(
    `TTS burst: ${BURST_BASE_RATE}/s, then ${BURST_BASE_RATE * BURST_FACTOR}/s for ${BURST_S} s, then ` +
      `${BURST_BASE_RATE}/s (warm max ${WARM_MAX}, trim idle ${TRIM_IDLE_S} s, maintenance every ${MAINTENANCE_S} s)`,
    ['window', 'sessions', 'COLD', 'COLD share'],
    windows.map(([label, list]) => [
      label,
      list.length,
      list.filter((s) => s.tier === 'cold').length,
      `${(share(list, 'cold') * 100).toFixed(1)} %`,
    ]),
  );
  console.log('');
  console.log(
    `burst phase: ${burstSessions.length} sessions opened ${burstConnections} connections ` +
      `(${(burstConnections / burstSessions.length).toFixed(3)} per session); warm stack lowest ${lowestWarm} ` +
      `during the burst, back at target ${recoveryMs === null ? 'never' : `${round(recoveryMs)} ms`} after it, ` +
      `peak ${peakWarm}; ${trimmed} extras trimmed back to ${WARM_SIZE} ` +
      `${trimmedBackMs === null ? 'never' : `${round(trimmedBackMs)} ms`} after the last session ended ` +
      `(bound: trim idle ${TRIM_IDLE_S} s + maintenance ${MAINTENANCE_S} s)`,
  );

  const judged = steady.filter((s) => s.rate <= TARGET_MAX_RATE);
  const worstCold = Math.max(0, ...judged.map((s) => s.coldShare));
  const worstConnections = Math.max(0, ...judged.map((s) => s.connectionsPerSession));
  const coldMet = worstCold < TARGET_COLD_SHARE;
  const connectionsMet = worstConnections <= TARGET_CONNECTIONS_PER_SESSION;
  const trimMet = trimmedBackMs !== null && trimmedBackMs <= trimBoundMs;
  const sttPerRecognition =
    stt.reduce((sum, p) => sum + p.connections, 0) /
    Math.max(
      1,
      stt.reduce((sum, p) => sum + p.requests, 0),
    );
  console.log(
    targetLine(
      `< ${TARGET_COLD_SHARE * 100} % COLD at steady rates up to ${TARGET_MAX_RATE}/s`,
      coldMet,
      `worst ${(worstCold * 100).toFixed(1)} %`,
    ),
  );
  console.log(
    targetLine(
      `<= ${TARGET_CONNECTIONS_PER_SESSION} upstream connections per TTS session at steady rates up to ${TARGET_MAX_RATE}/s`,
      connectionsMet,
      `worst ${worstConnections.toFixed(3)}`,
    ),
  );
  console.log(
    targetLine(
      `extras trimmed back to the warm size within trim idle + one maintenance period (${trimBoundMs} ms)`,
      trimMet,
      trimmedBackMs === null ? 'never' : `${round(trimmedBackMs)} ms`,
    ),
  );
  console.log(
    `STT: ${sttPerRecognition.toFixed(3)} connections per recognition: a recognizer takes one audio stream, so ` +
      `every recognition needs a new one (and a new connection)`,
  );
  printBenchLine({
    name: 'cold-rate',
    emulator: emulator.where,
    connectLatencyMs: CONNECT_LATENCY_MS,
    warmSize: WARM_SIZE,
    warmMax: steadySnapshot.warmPoolMax ?? null,
    phaseSeconds: PHASE_S,
    steady: steady.map((s) => ({
      ...s,
      coldShare: share3(s.coldShare),
      connectionsPerSession: share3(s.connectionsPerSession),
      connectionsPerRequest: share3(s.connectionsPerRequest),
    })),
    stt: stt.map((s) => ({
      ...s,
      coldShare: share3(s.coldShare),
      connectionsPerSession: share3(s.connectionsPerSession),
      connectionsPerRecognition: share3(s.connectionsPerRequest),
    })),
    burst: {
      warmMax: snapshot.warmPoolMax ?? null,
      trimIdleSeconds: TRIM_IDLE_S,
      maintenanceSeconds: MAINTENANCE_S,
      baseRate: BURST_BASE_RATE,
      burstRate: BURST_BASE_RATE * BURST_FACTOR,
      seconds: BURST_S,
      sessions: burstSessions.length,
      connections: burstConnections,
      connectionsPerSession: share3(burstConnections / burstSessions.length),
      coldShareBefore: share3(share(windows[0][1], 'cold')),
      coldShareDuring: share3(share(windows[1][1], 'cold')),
      coldShareAfter: share3(share(windows[2][1], 'cold')),
      lowestWarm,
      peakWarm,
      recoveryMs: recoveryMs === null ? null : round(recoveryMs),
      trimmed,
      trimmedBackMs: trimmedBackMs === null ? null : round(trimmedBackMs),
    },
    poolMetrics: { steady: steadyMetrics, burst: snapshot.metrics },
    emulatorStats,
    targets: {
      coldShareUpToTargetRate: {
        target: TARGET_COLD_SHARE,
        upTo: TARGET_MAX_RATE,
        worst: share3(worstCold),
        met: coldMet,
      },
      connectionsPerSession: {
        target: TARGET_CONNECTIONS_PER_SESSION,
        upTo: TARGET_MAX_RATE,
        worst: share3(worstConnections),
        met: connectionsMet,
      },
      trimmedWithinTrimIdlePlusMaintenance: { target: trimBoundMs, met: trimMet },
    },
    sttConnectionsPerRecognition: share3(sttPerRecognition),
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
