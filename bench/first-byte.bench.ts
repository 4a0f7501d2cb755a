/**
 * Time to first audio byte, with the emulator charging 200 ms per new connection (as TLS + websocket upgrade do):
 *   (a) a new SpeechSynthesizer per request (the SDK directly: what voice apps do before pooling);
 *   (b) warmline, first request of a new session (WARM): connect, then emit tts.synthesize, until the first
 *       tts.audio arrives at the client;
 *   (c) warmline, later requests of that session (DEDICATED), same timing;
 *   (d) the same text on an already-open synthesizer, straight to the emulator (the floor);
 *   (e) barge-in: a session's long answer streams at real time (the emulator's realtimeFactor 1, as a service
 *       speaks); at its first chunk the client sends tts.cancel and, right behind it, the next tts.synthesize:
 *       from the cancel to the next request's first tts.audio. Target: within 2 ms of (b) at p50.
 * They are interleaved (rotating order each iteration) so machine noise hits all of them alike.
 *
 *   npm run bench -- first-byte
 *   FIRST_BYTE_ITERATIONS=30 npm run bench -- first-byte     # quicker
 *   FIRST_BYTE_SERVER=child npm run bench -- first-byte       # warmline in a child process of its own
 *   FIRST_BYTE_PACE=20 npm run bench -- first-byte            # (a)-(d): audio at 20x real time, not all at once
 *
 * Emulator: child process. warmline: this process by default (comparable with earlier runs), or a child process.
 * The Socket.IO clients and the direct SDK: this process. With warmline in this process, a client's first
 * tts.audio cannot be read until the server's event loop has handled the rest of the upstream's audio burst (the
 * emulator sends a short sentence's audio all at once), a wait no remote client has; with warmline in a child
 * process, three busy processes share this machine's cores instead. docs/performance.md compares the two.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { textToSsml } from '../src/speech/ssml';
import { startBenchEmulator } from './support/emulator';
import { startServerProcess } from './support/server-process';
import { printBenchLine, printTable, progress, targetLine } from './support/report';
import {
  BENCH_VOICE,
  closeSynthesizer,
  openSynthesizer,
  synthesize,
  synthesizeWithNewSynthesizer,
} from './support/sdk';
import { ecdfChart } from './support/svg-chart';
import { round, roundSummary, summarize } from './support/stats';
import { VoiceClient } from '../src/client';
import { timedSynthesis, timedBargeIn } from './support/timed-voice';
import { settleBenchApp, startBenchApp } from './support/voice-app';

const CONNECT_LATENCY_MS = 200;
const ITERATIONS = Number(process.env.FIRST_BYTE_ITERATIONS ?? 120);
const WARMUP_ITERATIONS = 5;
/** DEDICATED requests per session after its first (WARM) one. */
const LATER_REQUESTS = 3;
const TEXT = 'Thanks for calling. How can I help you today?';
const TARGET_RATIO = 10;
const TARGET_OVERHEAD_MS = 2;
const TARGET_BARGE_IN_MS = 2;
/** Audio paced like a real service's during the barge-in step (1 = real time). */
const REALTIME_FACTOR = 1;
const LONG_TEXT =
  'Let me read you the whole list of options we have for you today, one after the other, slowly and clearly.';
const CHART = join(__dirname, '..', 'docs', 'first-byte.svg');
/** The emulator's realtimeFactor for (a)-(d): 0 sends a sentence's audio in one burst. */
const PACE = Number(process.env.FIRST_BYTE_PACE ?? 0);
const SERVER_LAYOUT = process.env.FIRST_BYTE_SERVER === 'child' ? 'child process' : 'in-process';

/** warmline under test: where the clients connect, and a wait for it to be idle. */
interface ServerUnderTest {
  url: string;
  /** Every earlier session has ended and its clients are back (wound down), and the warm queues are full. */
  settle(timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

async function startServer(speechHost: string, env: Record<string, string>): Promise<ServerUnderTest> {
  if (SERVER_LAYOUT === 'child process') {
    const server = await startServerProcess({ speechHost, env });
    return {
      url: server.url,
      settle: (timeoutMs) => server.settle(timeoutMs).then(() => undefined),
      close: () => server.close(),
    };
  }
  const app = await startBenchApp({ speechHost, env });
  return {
    url: app.url,
    settle: (timeoutMs) => settleBenchApp(app, timeoutMs),
    close: () => app.close(),
  };
}

interface Samples {
  a: number[];
  b: number[];
  c: number[];
  d: number[];
  e: number[];
  /** Server-side first byte from the acks of (b), for the split of (b)'s time. */
  bServer: number[];
  notWarm: number;
  notDedicated: number;
  /** (e): next requests that were not WARM, and interrupted ones not acknowledged as canceled. */
  bargeInNotWarm: number;
  bargeInNotCanceled: number;
  failures: string[];
}

async function main(): Promise<void> {
  const emulator = await startBenchEmulator('child');
  // Sessions end 0.2 s after disconnecting (default 15 s), so each session step can wait for the previous one's
  // clean-up (a canceled turn winding down, clients going back) instead of having it run during a measurement.
  const app = await startServer(emulator.url, { SPEECH_POOL_WARM_SIZE: '2', SESSION_RESUME_GRACE: '0.2' });
  const ssml = textToSsml(TEXT, BENCH_VOICE);
  const floor = await openSynthesizer(emulator.url, ssml);
  await app.settle(30_000);
  await emulator.setFaults({ connectLatencyMs: CONNECT_LATENCY_MS, realtimeFactor: PACE });

  const samples: Samples = {
    a: [],
    b: [],
    c: [],
    d: [],
    e: [],
    bServer: [],
    notWarm: 0,
    notDedicated: 0,
    bargeInNotWarm: 0,
    bargeInNotCanceled: 0,
    failures: [],
  };

  const runA = async (record: boolean): Promise<void> => {
    const r = await synthesizeWithNewSynthesizer(emulator.url, ssml);
    if (!r.ok || r.firstByteMs === null) samples.failures.push(`(a) ${r.error}`);
    else if (record) samples.a.push(r.firstByteMs);
  };
  const runD = async (record: boolean): Promise<void> => {
    // The same pattern as a session's: 1 + LATER_REQUESTS requests back to back.
    for (let i = 0; i <= LATER_REQUESTS; i++) {
      const r = await synthesize(floor, ssml);
      if (!r.ok || r.firstByteMs === null) samples.failures.push(`(d) ${r.error}`);
      else if (record) samples.d.push(r.firstByteMs);
    }
  };
  const runSession = async (record: boolean): Promise<void> => {
    // (b) measures a session that finds the pool warm and the service idle: the refill the previous session
    // triggered has run, and no earlier session's clean-up is left to run during the measurement.
    await app.settle(10_000);
    const client = await VoiceClient.connect({ url: app.url });
    try {
      const first = await timedSynthesis(client, { text: TEXT });
      if (!first.ok || first.firstByteMs === null) samples.failures.push(`(b) ${first.error?.code}`);
      else if (record) {
        samples.b.push(first.firstByteMs);
        if (first.serverFirstByteMs !== null) samples.bServer.push(first.serverFirstByteMs);
        if (first.tier !== 'warm') samples.notWarm++;
      }
      for (let i = 0; i < LATER_REQUESTS; i++) {
        const later = await timedSynthesis(client, { text: TEXT });
        if (!later.ok || later.firstByteMs === null) samples.failures.push(`(c) ${later.error?.code}`);
        else if (record) {
          samples.c.push(later.firstByteMs);
          if (later.tier !== 'dedicated') samples.notDedicated++;
        }
      }
    } finally {
      client.close();
    }
  };

  const runBargeIn = async (record: boolean): Promise<void> => {
    await app.settle(10_000);
    const client = await VoiceClient.connect({ url: app.url });
    try {
      const first = await timedSynthesis(client, { text: TEXT });
      if (!first.ok) samples.failures.push(`(e) first ${first.error?.code}`);
      await emulator.setFaults({ connectLatencyMs: CONNECT_LATENCY_MS, realtimeFactor: REALTIME_FACTOR });
      const r = await timedBargeIn(client, { text: LONG_TEXT }, { text: TEXT });
      if (!r.ok || r.bargeInMs === null) samples.failures.push(`(e) ${r.error?.code}`);
      else if (record) {
        samples.e.push(r.bargeInMs);
        if (r.tier !== 'warm') samples.bargeInNotWarm++;
        if (!r.canceled) samples.bargeInNotCanceled++;
      }
    } finally {
      await emulator.setFaults({ connectLatencyMs: CONNECT_LATENCY_MS, realtimeFactor: PACE });
      client.close();
    }
  };

  const steps = [runA, runSession, runD, runBargeIn];
  const total = WARMUP_ITERATIONS + ITERATIONS;
  const started = Date.now();
  for (let i = 0; i < total; i++) {
    const record = i >= WARMUP_ITERATIONS;
    for (let k = 0; k < steps.length; k++) await steps[(i + k) % steps.length](record);
    if ((i + 1) % 20 === 0)
      progress(`${i + 1}/${total} iterations, ${Math.round((Date.now() - started) / 1000)} s`);
  }

  await closeSynthesizer(floor);
  await app.close();
  const stats = await emulator.stats();
  await emulator.close();

  const a = summarize(samples.a);
  const b = summarize(samples.b);
  const c = summarize(samples.c);
  const d = summarize(samples.d);
  const e = summarize(samples.e);
  const bServer = summarize(samples.bServer);
  const ratioP50 = a.p50 / b.p50;
  const overheadP50 = b.p50 - d.p50;

  console.log(
    `time to first audio byte: warmline (${SERVER_LAYOUT}), emulator (${emulator.where}) charging ${CONNECT_LATENCY_MS} ms per new connection, ` +
      `audio ${PACE > 0 ? `paced at ${PACE}x real time` : 'sent as fast as produced'}, ` +
      `${ITERATIONS} iterations (+${WARMUP_ITERATIONS} warm-up), ${LATER_REQUESTS} DEDICATED requests per session, ` +
      `text of ${TEXT.length} characters, warm size 2`,
  );
  const row = (label: string, s: ReturnType<typeof summarize>) => [
    label,
    s.n,
    s.p50,
    s.p95,
    s.p99,
    s.mean,
    s.max,
  ];
  printTable(
    'first byte, ms (lower is better)',
    ['path', 'n', 'p50', 'p95', 'p99', 'mean', 'max'],
    [
      row('(a) new SpeechSynthesizer per request', a),
      row('(b) warmline: new session, first request (WARM)', b),
      row('(c) warmline: same session, later requests (DEDICATED)', c),
      row('(d) open synthesizer, straight to emulator (floor)', d),
      row('(e) warmline barge-in: tts.cancel to the next first byte', e),
    ],
  );
  printTable(
    'comparisons (same run)',
    ['measure', 'p50', 'p95', 'p99'],
    [
      ['(a)/(b): speed-up of a warm session, x', a.p50 / b.p50, a.p95 / b.p95, a.p99 / b.p99],
      ['(b)-(d): warmline overhead, WARM, ms', b.p50 - d.p50, b.p95 - d.p95, b.p99 - d.p99],
      ['(c)-(d): warmline overhead, DEDICATED, ms', c.p50 - d.p50, c.p95 - d.p95, c.p99 - d.p99],
      ['(e)-(b): barge-in vs a WARM first request, ms', e.p50 - b.p50, e.p95 - b.p95, e.p99 - b.p99],
      [
        '(b) client-seen - server-reported first byte, ms',
        b.p50 - bServer.p50,
        b.p95 - bServer.p95,
        b.p99 - bServer.p99,
      ],
    ],
  );
  console.log('');
  console.log(
    `(b) tiers: ${samples.b.length - samples.notWarm} WARM, ${samples.notWarm} not WARM; (c) not DEDICATED: ` +
      `${samples.notDedicated}; (e) next not WARM: ${samples.bargeInNotWarm}, interrupted not canceled: ` +
      `${samples.bargeInNotCanceled}; failures: ${samples.failures.length}${samples.failures.length > 0 ? ` (${samples.failures.slice(0, 3).join('; ')})` : ''}`,
  );
  const ratioMet = ratioP50 >= TARGET_RATIO;
  const overheadMet = overheadP50 <= TARGET_OVERHEAD_MS;
  console.log(targetLine(`(a)/(b) >= ${TARGET_RATIO}x at p50`, ratioMet, `${round(ratioP50)}x`));
  console.log(
    targetLine(`(b)-(d) <= ${TARGET_OVERHEAD_MS} ms at p50`, overheadMet, `${round(overheadP50)} ms`),
  );
  const bargeInMet = e.p50 - b.p50 <= TARGET_BARGE_IN_MS;
  console.log(
    targetLine(
      `(e)-(b) <= ${TARGET_BARGE_IN_MS} ms at p50 (barge-in as fast as a WARM request)`,
      bargeInMet,
      `${round(e.p50 - b.p50)} ms (p99 ${round(e.p99 - b.p99)} ms)`,
    ),
  );

  writeFileSync(
    CHART,
    ecdfChart({
      title: 'Time to first audio byte (emulator charging 200 ms per new connection)',
      subtitle: `${ITERATIONS} iterations, interleaved, warmline: ${SERVER_LAYOUT}; ${process.version}, same run; written by bench/first-byte.bench.ts`,
      xLabel: 'ms from request to first audio byte (log scale)',
      series: [
        { label: '(a) new SpeechSynthesizer per request', values: samples.a, color: '#d62728' },
        { label: '(b) warmline, first request of a session (WARM)', values: samples.b, color: '#1f77b4' },
        { label: '(c) warmline, later requests (DEDICATED)', values: samples.c, color: '#2ca02c' },
        { label: '(d) open synthesizer, direct (floor)', values: samples.d, color: '#7f7f7f' },
        { label: '(e) warmline barge-in: cancel to next first byte', values: samples.e, color: '#9467bd' },
      ],
    }),
  );
  console.log(`chart: ${CHART}`);

  printBenchLine({
    name: 'first-byte',
    server: SERVER_LAYOUT,
    realtimeFactor: PACE,
    emulator: emulator.where,
    connectLatencyMs: CONNECT_LATENCY_MS,
    iterations: ITERATIONS,
    firstByteMs: {
      newSynthesizer: roundSummary(a),
      warmlineWarm: roundSummary(b),
      warmlineDedicated: roundSummary(c),
      floor: roundSummary(d),
      bargeIn: roundSummary(e),
      warmlineWarmServerReported: roundSummary(bServer),
    },
    ratios: { newVsWarmP50: round(ratioP50), newVsWarmP99: round(a.p99 / b.p99) },
    overheadMs: {
      warmP50: round(overheadP50),
      dedicatedP50: round(c.p50 - d.p50),
      bargeInVsWarmP50: round(e.p50 - b.p50),
      bargeInVsWarmP99: round(e.p99 - b.p99),
    },
    realtimeFactorDuringBargeIn: REALTIME_FACTOR,
    tiers: {
      notWarm: samples.notWarm,
      notDedicated: samples.notDedicated,
      bargeInNotWarm: samples.bargeInNotWarm,
      bargeInNotCanceled: samples.bargeInNotCanceled,
    },
    failures: samples.failures.length,
    emulatorStats: stats,
    targets: {
      newVsWarmP50: { target: TARGET_RATIO, met: ratioMet },
      overheadP50Ms: { target: TARGET_OVERHEAD_MS, met: overheadMet },
      bargeInVsWarmP50Ms: { target: TARGET_BARGE_IN_MS, met: bargeInMet },
    },
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
