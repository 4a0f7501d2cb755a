/**
 * Upstream connection cap: 100 concurrent sessions, 3 syntheses each, against an emulator that refuses upgrades
 * beyond 8 open connections with HTTP 429 (the service's backend limit) and charges 200 ms per new connection:
 *   (a) a new SpeechSynthesizer per request (the SDK directly, no retries: what apps do before pooling);
 *   (b) warmline with SPEECH_POOL_TTS_MAX_SIZE=8 (= the cap; the STT pool holds no connection here), sessions
 *       keeping their synthesizer between requests (DEDICATED, the default);
 *   (b') the same with SPEECH_POOL_SESSION_AWARENESS=false: synthesizers shared request by request;
 *   (c) 8 synthesizers opened beforehand taking requests from one queue: the cap used perfectly, no warmline.
 * What the cap allows: 8 / (one synthesis on an open connection), measured in the same run.
 *
 * The emulator streams audio as fast as it can, so the service's synthesis time is injected as time to first
 * audio (`firstByteLatencyMs`): 250 ms (a short sentence on a real service) and 100 ms (a stress case where this
 * machine's CPU, forwarding ~1,500 audio chunks/s, starts to bind before the cap does). Both are reported.
 *
 *   npm run bench -- connection-cap
 *
 * Emulator: child process. warmline: another child process (its event loop is not shared with 100 clients').
 * Socket.IO clients and the direct SDK: this process.
 */
import { textToSsml } from '../src/speech/ssml';
import { startBenchEmulator, type BenchEmulator } from './support/emulator';
import { printBenchLine, printTable, progress, targetLine } from './support/report';
import {
  BENCH_VOICE,
  closeSynthesizer,
  openSynthesizer,
  synthesize,
  synthesizeWithNewSynthesizer,
  upstreamStatus,
} from './support/sdk';
import { startServerProcess } from './support/server-process';
import { round, summarize } from './support/stats';
import { VoiceClient } from '../src/client';
import { timedSynthesis } from './support/timed-voice';
import { until } from './support/voice-app';

const CAP = 8;
const SESSIONS = 100;
const REQUESTS_PER_SESSION = 3;
const CONNECT_LATENCY_MS = 200;
const SYNTHESIS_LATENCIES_MS = [250, 100];
const SINGLE_SAMPLES = 15;
const TARGET_THROUGHPUT_SHARE = 0.9;
/** DEDICATED sessions (b) at 100 ms synthesis: idle synthesizers are reclaimed the moment a request waits. */
const TARGET_DEDICATED_SHARE_AT_100_MS = 0.95;
const targetShare = (variant: string, synthesisLatencyMs: number): number =>
  variant === '(b)' && synthesisLatencyMs === 100
    ? TARGET_DEDICATED_SHARE_AT_100_MS
    : TARGET_THROUGHPUT_SHARE;
// Short, like most voice-agent turns: the audio each synthesis streams costs CPU here that the service would spend.
const TEXT = 'Your table is booked.';
const REQUESTS = SESSIONS * REQUESTS_PER_SESSION;

interface Outcome {
  label: string;
  completed: number;
  failedBy: Record<string, number>;
  upstream429: number;
  seconds: number;
  throughput: number;
  latency: ReturnType<typeof summarize>;
}

interface Scenario {
  synthesisLatencyMs: number;
  singleSynthesisMs: number;
  capThroughput: number;
  a: Outcome;
  b: Outcome;
  bShared: Outcome;
  c: Outcome;
  poolMetrics: Record<string, number>;
  poolMetricsShared: Record<string, number>;
}

function count(map: Record<string, number>, key: string): void {
  map[key] = (map[key] ?? 0) + 1;
}

/** Runs `work` (which reports each request's outcome) and times it. */
async function measure(
  label: string,
  emulator: BenchEmulator,
  work: (done: (ok: boolean, ms: number, failure?: string) => void) => Promise<void>,
): Promise<Outcome> {
  const failedBy: Record<string, number> = {};
  const latencies: number[] = [];
  const before = await emulator.stats();
  const started = performance.now();
  await work((ok, ms, failure) => {
    if (ok) latencies.push(ms);
    else count(failedBy, failure ?? 'unknown');
  });
  const seconds = (performance.now() - started) / 1000;
  const after = await emulator.stats();
  return {
    label,
    completed: latencies.length,
    failedBy,
    upstream429: after.rejectedTotal - before.rejectedTotal,
    seconds,
    throughput: latencies.length / seconds,
    latency: summarize(latencies),
  };
}

async function noConnectionsOpen(emulator: BenchEmulator): Promise<void> {
  await until(
    async () => (await emulator.stats()).connectionsOpen === 0,
    20_000,
    'no open upstream connection',
  );
}

/**
 * (b) warmline capped at the upstream cap. With session awareness (the default) a session keeps its synthesizer
 * between its requests (DEDICATED) and hands it on when it ends; without it, every request takes a synthesizer
 * from the pool and gives it back when done, so 100 sessions share 8 synthesizers request by request.
 */
async function runWarmline(
  emulator: BenchEmulator,
  synthesisLatencyMs: number,
  sessionAwareness: boolean,
): Promise<{ outcome: Outcome; poolMetrics: Record<string, number> }> {
  const variant = sessionAwareness ? 'b' : "b'";
  progress(
    `${synthesisLatencyMs} ms: (${variant}) warmline, session awareness ${sessionAwareness}: ${SESSIONS} sessions x ${REQUESTS_PER_SESSION} requests`,
  );
  await noConnectionsOpen(emulator);
  const app = await startServerProcess({
    speechHost: emulator.url,
    env: {
      SPEECH_POOL_TTS_MAX_SIZE: String(CAP),
      SPEECH_POOL_TTS_WARM_SIZE: String(CAP),
      SPEECH_POOL_STT_WARM_SIZE: '0', // recognizers would share the upstream cap; none are used here
      SPEECH_POOL_SESSION_AWARENESS: String(sessionAwareness),
      SESSION_RESUME_GRACE: '0', // a finished session's synthesizer goes to the next waiting session at once
      SPEECH_POOL_ACQUIRE_TIMEOUT: '60', // requests queue at the cap for as long as the queue needs
    },
  });
  await until(async () => (await app.snapshot()).tts.warmPoolSize === CAP, 30_000, 'warm TTS pool');
  const clients = await Promise.all(
    Array.from({ length: SESSIONS }, () =>
      VoiceClient.connect({ url: app.url, connectTimeoutMs: 60_000, ackTimeoutMs: 60_000 }),
    ),
  );
  const label = `(${variant}) warmline, max ${CAP}, session awareness ${sessionAwareness ? 'on' : 'off'}`;
  const outcome = await measure(label, emulator, (done) =>
    Promise.all(
      clients.map(async (client) => {
        for (let i = 0; i < REQUESTS_PER_SESSION; i++) {
          const r = await timedSynthesis(client, { text: TEXT });
          done(r.ok, r.totalMs, r.error?.code);
        }
        client.close(); // the session ends: its synthesizer serves the next one
      }),
    ).then(() => undefined),
  );
  const poolMetrics = (await app.snapshot()).tts.metrics;
  await app.close();
  return { outcome, poolMetrics };
}

async function scenario(emulator: BenchEmulator, synthesisLatencyMs: number): Promise<Scenario> {
  const faults = {
    maxConnections: CAP,
    connectLatencyMs: CONNECT_LATENCY_MS,
    firstByteLatencyMs: synthesisLatencyMs,
  };
  await emulator.setFaults(faults);
  const ssml = textToSsml(TEXT, BENCH_VOICE);

  // One synthesis on an open connection: what one of the cap's connections can do per second.
  const single = await openSynthesizer(emulator.url, ssml);
  const singleMs: number[] = [];
  for (let i = 0; i < SINGLE_SAMPLES; i++) {
    const r = await synthesize(single, ssml);
    if (r.ok) singleMs.push(r.totalMs);
  }
  await closeSynthesizer(single);
  const singleSynthesisMs = summarize(singleMs).p50;
  const capThroughput = (CAP * 1000) / singleSynthesisMs;

  progress(
    `${synthesisLatencyMs} ms: (a) ${SESSIONS} sessions x ${REQUESTS_PER_SESSION} requests, a new synthesizer each`,
  );
  await noConnectionsOpen(emulator);
  const a = await measure('(a) new SpeechSynthesizer per request', emulator, (done) =>
    Promise.all(
      Array.from({ length: SESSIONS }, async () => {
        for (let i = 0; i < REQUESTS_PER_SESSION; i++) {
          const r = await synthesizeWithNewSynthesizer(emulator.url, ssml);
          const status = upstreamStatus(r.error);
          done(r.ok, r.totalMs, status === null ? 'other' : `HTTP ${status}`);
        }
      }),
    ).then(() => undefined),
  );

  progress(
    `${synthesisLatencyMs} ms: (c) ${CAP} open synthesizers, ${REQUESTS} requests from a shared queue`,
  );
  await noConnectionsOpen(emulator);
  const synthesizers = await Promise.all(
    Array.from({ length: CAP }, () => openSynthesizer(emulator.url, ssml)),
  );
  let left = REQUESTS;
  const c = await measure(`(c) ${CAP} open synthesizers, shared queue`, emulator, (done) =>
    Promise.all(
      synthesizers.map(async (synthesizer) => {
        while (left > 0) {
          left--;
          const r = await synthesize(synthesizer, ssml);
          done(r.ok, r.totalMs, String(upstreamStatus(r.error) ?? 'other'));
        }
      }),
    ).then(() => undefined),
  );
  await Promise.all(synthesizers.map((s) => closeSynthesizer(s)));

  const b = await runWarmline(emulator, synthesisLatencyMs, true);
  const bShared = await runWarmline(emulator, synthesisLatencyMs, false);
  return {
    synthesisLatencyMs,
    singleSynthesisMs,
    capThroughput,
    a,
    b: b.outcome,
    bShared: bShared.outcome,
    c,
    poolMetrics: b.poolMetrics,
    poolMetricsShared: bShared.poolMetrics,
  };
}

const failures = (o: Outcome): string =>
  Object.entries(o.failedBy)
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ') || '-';

const outcomeJson = (o: Outcome, capThroughput: number) => ({
  completed: o.completed,
  failedBy: o.failedBy,
  upstream429: o.upstream429,
  seconds: round(o.seconds),
  throughput: round(o.throughput),
  shareOfCap: round(o.throughput / capThroughput),
  latencyMsP50: round(o.latency.p50),
  latencyMsP99: round(o.latency.p99),
});

async function main(): Promise<void> {
  const emulator = await startBenchEmulator('child');
  const scenarios: Scenario[] = [];
  for (const latency of SYNTHESIS_LATENCIES_MS) scenarios.push(await scenario(emulator, latency));
  const emulatorStats = await emulator.stats();
  await emulator.close();

  console.log(
    `upstream connection cap: emulator (${emulator.where}) refusing upgrades beyond ${CAP} connections (HTTP 429), ` +
      `${CONNECT_LATENCY_MS} ms per new connection; ${SESSIONS} concurrent sessions x ${REQUESTS_PER_SESSION} ` +
      `requests = ${REQUESTS}; warmline in a child process`,
  );
  const targets: {
    variant: string;
    synthesisLatencyMs: number;
    shareOfCap: number;
    target: number;
    met: boolean;
  }[] = [];
  for (const s of scenarios) {
    printTable(
      `synthesis time ${s.synthesisLatencyMs} ms to first audio: one synthesis on an open connection takes ` +
        `${round(s.singleSynthesisMs)} ms => the cap allows ${round(s.capThroughput)} syntheses/s`,
      [
        'path',
        'completed',
        'failed (by cause)',
        'upstream 429s',
        'seconds',
        'req/s',
        '% of cap',
        'p50 ms',
        'p99 ms',
      ],
      [s.a, s.b, s.bShared, s.c].map((o) => [
        o.label,
        `${o.completed}/${REQUESTS}`,
        failures(o),
        o.upstream429,
        o.seconds,
        o.throughput,
        `${((o.throughput / s.capThroughput) * 100).toFixed(1)} %`,
        o.latency.p50,
        o.latency.p99,
      ]),
    );
    for (const [name, o] of [
      ['(b)', s.b],
      ["(b')", s.bShared],
    ] as const) {
      const share = o.throughput / s.capThroughput;
      const target = targetShare(name, s.synthesisLatencyMs);
      const met = o.completed === REQUESTS && o.upstream429 === 0 && share >= target;
      targets.push({
        variant: name,
        synthesisLatencyMs: s.synthesisLatencyMs,
        shareOfCap: round(share),
        target,
        met,
      });
      console.log(
        `${name} = ${round(o.throughput / s.a.throughput)}x the throughput of (a), ` +
          `${((o.throughput / s.c.throughput) * 100).toFixed(1)} % of (c)`,
      );
      console.log(
        targetLine(
          `${name} every request completes, zero 429s, >= ${target * 100} % of the cap`,
          met,
          `${o.completed}/${REQUESTS}, ${o.upstream429} 429s, ${(share * 100).toFixed(1)} % of ${round(s.capThroughput)}/s`,
        ),
      );
    }
  }
  printBenchLine({
    name: 'connection-cap',
    emulator: emulator.where,
    server: 'child process',
    cap: CAP,
    sessions: SESSIONS,
    requestsPerSession: REQUESTS_PER_SESSION,
    connectLatencyMs: CONNECT_LATENCY_MS,
    scenarios: scenarios.map((s) => ({
      synthesisLatencyMs: s.synthesisLatencyMs,
      singleSynthesisMs: round(s.singleSynthesisMs),
      capThroughput: round(s.capThroughput),
      newSynthesizer: outcomeJson(s.a, s.capThroughput),
      warmline: outcomeJson(s.b, s.capThroughput),
      warmlineSharedPerRequest: outcomeJson(s.bShared, s.capThroughput),
      openSynthesizers: outcomeJson(s.c, s.capThroughput),
      warmlineVsNewSynthesizer: round(s.b.throughput / s.a.throughput),
      warmlineVsOpenSynthesizers: round(s.b.throughput / s.c.throughput),
      warmlineSharedVsOpenSynthesizers: round(s.bShared.throughput / s.c.throughput),
      poolMetrics: s.poolMetrics,
      poolMetricsShared: s.poolMetricsShared,
    })),
    emulatorStats,
    targets,
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
