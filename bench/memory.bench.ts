/**
 * Memory of the server process:
 *   1. per idle connected Socket.IO session: RSS and heap after 1,000 sessions connected, minus before;
 *   2. growth per full session cycle (connect, synthesize, recognise that audio, disconnect) over 5,000 cycles
 *      after a warm-up: least-squares slope of heap and RSS against the cycle count, sampled every 250 cycles
 *      with the load paused and full GCs forced; then the pools' books are checked (created − destroyed = live).
 *
 *   npm run bench -- memory
 *   MEMORY_CYCLES=1000 MEMORY_IDLE_SESSIONS=300 npm run bench -- memory     # quicker
 *
 * Server: child process with --expose-gc (its memory alone is measured). Emulator: another child process.
 * Load generator (socket.io-client): this process. SESSION_RESUME_GRACE=0 so a cycle's clients go back at once
 * (with the default 15 s the same clients come back 15 s later: a constant offset, not growth).
 */
import { startBenchEmulator } from './support/emulator';
import { formatBytes, printBenchLine, printTable, progress, targetLine } from './support/report';
import { startServerProcess, type ServerProcess } from './support/server-process';
import { linearFit, round } from './support/stats';
import { VoiceClient } from '../src/client';
import { timedSynthesis, timedRecognition } from './support/timed-voice';
import { booksProblems } from './support/voice-app';

const IDLE_SESSIONS = Number(process.env.MEMORY_IDLE_SESSIONS ?? 1000);
const CYCLES = Number(process.env.MEMORY_CYCLES ?? 5000);
const WARMUP_CYCLES = Number(process.env.MEMORY_WARMUP_CYCLES ?? Math.min(500, Math.ceil(CYCLES / 10)));
const SAMPLE_EVERY = Number(process.env.MEMORY_SAMPLE_EVERY ?? Math.max(50, Math.round(CYCLES / 20)));
const CONCURRENCY = Number(process.env.MEMORY_CONCURRENCY ?? 4);
const TARGET_PER_IDLE_SESSION = 50 * 1024;
const TARGET_PER_CYCLE = 2 * 1024;
const TEXT = 'Please hold while I check that for you.';

interface CycleStats {
  cycles: number;
  ttsFailures: number;
  sttFailures: number;
  recognised: number;
  errors: Record<string, number>;
}

/** One session's life: connect, synthesize (16 kHz PCM), recognise that audio, disconnect. */
async function cycle(url: string, stats: CycleStats): Promise<void> {
  const note = (code: string): void => {
    stats.errors[code] = (stats.errors[code] ?? 0) + 1;
  };
  let client: VoiceClient;
  try {
    client = await VoiceClient.connect({ url });
  } catch (error) {
    note(`connect: ${String(error)}`);
    return;
  }
  try {
    const tts = await timedSynthesis(client, { text: TEXT, format: 'pcm-16k' }, true);
    if (!tts.ok || tts.audio === undefined) {
      stats.ttsFailures++;
      note(`tts: ${tts.error?.code}`);
      return;
    }
    const stt = await timedRecognition(client, tts.audio, { sampleRate: 16_000 });
    if (!stt.ok) {
      stats.sttFailures++;
      note(`stt: ${stt.error?.code}`);
    } else if (stt.finals.length > 0) stats.recognised++;
  } finally {
    client.close();
    stats.cycles++;
  }
}

/** Runs `count` cycles with CONCURRENCY workers; resolves when all are done (the load is then paused). */
async function runCycles(url: string, count: number, stats: CycleStats): Promise<void> {
  let left = count;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (left > 0) {
        left--;
        await cycle(url, stats);
      }
    }),
  );
}

async function idleSessions(server: ServerProcess): Promise<{ rss: number; heap: number; external: number }> {
  // Warm-up: the first connections grow pools and caches once; measure on a process that has seen sessions.
  const warm = await connectMany(server.url, Math.min(200, IDLE_SESSIONS));
  warm.forEach((c) => c.close());
  await server.settle();
  const before = await server.memory();
  const clients = await connectMany(server.url, IDLE_SESSIONS);
  const during = await server.memory();
  const sessions = (await server.snapshot()).sessions;
  if (sessions !== IDLE_SESSIONS)
    throw new Error(`expected ${IDLE_SESSIONS} sessions, server has ${sessions}`);
  clients.forEach((c) => c.close());
  await server.settle();
  return {
    rss: (during.rss - before.rss) / IDLE_SESSIONS,
    heap: (during.heapUsed - before.heapUsed) / IDLE_SESSIONS,
    external: (during.external - before.external) / IDLE_SESSIONS,
  };
}

async function connectMany(url: string, count: number): Promise<VoiceClient[]> {
  const clients: VoiceClient[] = [];
  for (let i = 0; i < count; i += 100) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(100, count - i) }, () => VoiceClient.connect({ url })),
    );
    clients.push(...batch);
  }
  return clients;
}

async function main(): Promise<void> {
  const emulator = await startBenchEmulator('child');
  const server = await startServerProcess({
    speechHost: emulator.url,
    env: { SESSION_RESUME_GRACE: '0' },
    nodeFlags: ['--expose-gc'],
  });
  const started = Date.now();

  progress(`idle sessions: ${IDLE_SESSIONS}`);
  const idle = await idleSessions(server);

  const stats: CycleStats = { cycles: 0, ttsFailures: 0, sttFailures: 0, recognised: 0, errors: {} };
  progress(`warm-up: ${WARMUP_CYCLES} cycles`);
  await runCycles(server.url, WARMUP_CYCLES, stats);
  await server.settle();
  const samples: { cycle: number; rss: number; heapUsed: number; external: number; arrayBuffers: number }[] =
    [];
  const sample = async (done: number): Promise<void> => {
    const m = await server.memory();
    samples.push({
      cycle: done,
      rss: m.rss,
      heapUsed: m.heapUsed,
      external: m.external,
      arrayBuffers: m.arrayBuffers,
    });
  };
  await sample(0);
  const cycleStarted = Date.now();
  for (let done = 0; done < CYCLES;) {
    const batch = Math.min(SAMPLE_EVERY, CYCLES - done);
    await runCycles(server.url, batch, stats);
    done += batch;
    await server.settle();
    await sample(done);
    const perSecond = done / ((Date.now() - cycleStarted) / 1000);
    progress(
      `${done}/${CYCLES} cycles (${Math.round(perSecond)}/s), heap ${formatBytes(samples[samples.length - 1].heapUsed)}, ` +
        `rss ${formatBytes(samples[samples.length - 1].rss)}`,
    );
  }
  const cycleSeconds = (Date.now() - cycleStarted) / 1000;

  const final = await server.settle();
  const emulatorStats = await emulator.stats();
  const problems = [...booksProblems('tts', final.tts), ...booksProblems('stt', final.stt)];
  const liveClients = final.tts.size + final.stt.size;
  if (emulatorStats.connectionsOpen !== liveClients) {
    problems.push(
      `emulator has ${emulatorStats.connectionsOpen} open sockets, pools hold ${liveClients} clients`,
    );
  }
  await server.close();
  await emulator.close();

  const xs = samples.map((s) => s.cycle);
  const fit = (key: 'rss' | 'heapUsed' | 'external' | 'arrayBuffers') =>
    linearFit(
      xs,
      samples.map((s) => s[key]),
    );
  const fits = {
    heapUsed: fit('heapUsed'),
    rss: fit('rss'),
    external: fit('external'),
    arrayBuffers: fit('arrayBuffers'),
  };

  console.log(
    `memory: server in a child process (--expose-gc, full GCs before every sample), emulator (${emulator.where}), ` +
      `load generator in this process; total ${Math.round((Date.now() - started) / 1000)} s`,
  );
  printTable(
    `per idle connected session (${IDLE_SESSIONS} sessions)`,
    ['measure', 'per session'],
    [
      ['RSS', formatBytes(idle.rss)],
      ['JS heap used', formatBytes(idle.heap)],
      ['external (buffers)', formatBytes(idle.external)],
    ],
  );
  printTable(
    `growth per session cycle: ${CYCLES} cycles after ${WARMUP_CYCLES} warm-up, ${CONCURRENCY} at a time, ` +
      `${samples.length} samples (${round(stats.cycles / (cycleSeconds + 1e-9))} cycles/s)`,
    ['measure', 'first sample', 'last sample', 'slope per cycle', 'r²'],
    (['heapUsed', 'rss', 'external', 'arrayBuffers'] as const).map((key) => [
      key,
      formatBytes(samples[0][key]),
      formatBytes(samples[samples.length - 1][key]),
      `${fits[key].slope >= 0 ? '+' : ''}${round(fits[key].slope)} B`,
      round(fits[key].r2),
    ]),
  );
  console.log('');
  console.log(
    `cycles: ${stats.cycles} (${stats.recognised} recognised the synthesized text back), TTS failures ` +
      `${stats.ttsFailures}, STT failures ${stats.sttFailures}${Object.keys(stats.errors).length > 0 ? ` ${JSON.stringify(stats.errors)}` : ''}`,
  );
  console.log(
    `pools' books at the end: ${problems.length === 0 ? 'balanced' : problems.join('; ')} ` +
      `(tts created ${final.tts.metrics.resourcesCreated} / destroyed ${final.tts.metrics.resourcesDestroyed} / live ${final.tts.size}; ` +
      `stt created ${final.stt.metrics.resourcesCreated} / destroyed ${final.stt.metrics.resourcesDestroyed} / live ${final.stt.size}; ` +
      `emulator sockets open ${emulatorStats.connectionsOpen})`,
  );
  const idleMet = idle.rss < TARGET_PER_IDLE_SESSION && idle.heap < TARGET_PER_IDLE_SESSION;
  const growthMet = fits.heapUsed.slope < TARGET_PER_CYCLE && fits.rss.slope < TARGET_PER_CYCLE;
  console.log(
    targetLine(
      `< ${formatBytes(TARGET_PER_IDLE_SESSION)} per idle session (RSS and heap)`,
      idleMet,
      `RSS ${formatBytes(idle.rss)}, heap ${formatBytes(idle.heap)}`,
    ),
  );
  console.log(
    targetLine(
      `< ${formatBytes(TARGET_PER_CYCLE)} growth per cycle (heap and RSS slopes)`,
      growthMet,
      `heap ${round(fits.heapUsed.slope)} B, RSS ${round(fits.rss.slope)} B per cycle`,
    ),
  );
  console.log(
    targetLine(
      "pools' books balanced after the cycles",
      problems.length === 0,
      `${problems.length} problems`,
    ),
  );
  printBenchLine({
    name: 'memory',
    server: 'child process (--expose-gc)',
    emulator: emulator.where,
    idleSessions: IDLE_SESSIONS,
    perIdleSessionBytes: {
      rss: Math.round(idle.rss),
      heapUsed: Math.round(idle.heap),
      external: Math.round(idle.external),
    },
    cycles: CYCLES,
    warmupCycles: WARMUP_CYCLES,
    concurrency: CONCURRENCY,
    cyclesPerSecond: round(stats.cycles / cycleSeconds),
    growthPerCycleBytes: Object.fromEntries(
      Object.entries(fits).map(([k, f]) => [k, { slope: round(f.slope), r2: round(f.r2) }]),
    ),
    samples,
    failures: { tts: stats.ttsFailures, stt: stats.sttFailures, errors: stats.errors },
    recognised: stats.recognised,
    books: {
      problems,
      tts: final.tts.metrics,
      stt: final.stt.metrics,
      emulatorOpen: emulatorStats.connectionsOpen,
    },
    targets: {
      perIdleSession: { target: TARGET_PER_IDLE_SESSION, met: idleMet },
      perCycle: { target: TARGET_PER_CYCLE, met: growthMet },
      books: { met: problems.length === 0 },
    },
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
