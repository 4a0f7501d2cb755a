/**
 * The HTTP speech API under a batch-like load: 8 concurrent clients, each sending its next POST /api/v1/tts the
 * moment the previous answer ended, for a fixed time, against an emulator that charges 200 ms per new connection
 * and refuses upgrades beyond 8 open connections with HTTP 429 (the service's backend limit):
 *   (a) the same texts with a new SpeechSynthesizer per request (the SDK directly: what apps do before pooling);
 *   (b) warmline (child process) with SPEECH_POOL_TTS_MAX_SIZE=8 (= the cap), over HTTP.
 * Reported per side: completed requests, 429s (upstream refusals; for warmline also its own 429s), first byte
 * p50/p99 (from sending the request to the first audio byte, as the client sees it).
 * Then (c), OpenAI's speech formats through the same warmline, one request at a time: CPU ms per second of audio
 * (warmline with the encoder processes it runs; the emulator, which makes Ogg Opus as the service would) and
 * first byte p50 for each format.
 *
 *   npm run bench -- http                                                   # 60 s per side
 *   node -r ts-node/register/transpile-only bench/http.bench.ts --duration 15   # shorter
 */
import { numberIn } from '../src/cli/option-values';
import { exitWith, parseCommandLine, runCommand } from '../src/cli/usage';
import { textToSsml } from '../src/speech/ssml';
import { startBenchEmulator, type BenchEmulator } from './support/emulator';
import { printBenchLine, printTable, progress, targetLine } from './support/report';
import { BENCH_VOICE, synthesizeWithNewSynthesizer, upstreamStatus } from './support/sdk';
import { startServerProcess } from './support/server-process';
import { measureFormats, type FormatCost } from './support/speech-formats';
import { round, summarize, type Summary } from './support/stats';
import { until } from './support/voice-app';

const CAP = 8;
const CLIENTS = 8;
const CONNECT_LATENCY_MS = 200;
/**
 * The emulator streams audio at this multiple of real time, as a real service streams faster than playback but
 * not instantly. Unpaced, the emulator (standing in for the service's own machines) would spend this machine's
 * CPU on eight syntheses at once and the first-byte times would measure that, not the path to the first byte.
 */
const REALTIME_FACTOR = 2;
const TARGET_FIRST_BYTE_RATIO = 10;
/** Requests per format in (c). */
const FORMAT_REQUESTS = 8;
const TEXTS = [
  'Welcome to the first lesson.',
  'Today we look at how sound becomes speech.',
  'Please repeat after me.',
  'That was very good.',
  'Let us try a longer sentence, one with a pause in the middle.',
  'Your order has been received.',
  'The next train leaves in five minutes.',
  'Thank you for calling.',
];

const USAGE = `usage: node -r ts-node/register/transpile-only bench/http.bench.ts [--duration S]

  --duration S   seconds each side runs (default 60)
  -h, --help     this text`;

/** Seconds per side, from `--duration`. */
function durationSeconds(argv: readonly string[]): number {
  const { values } = parseCommandLine(argv, { options: { duration: { type: 'string', default: '60' } } });
  return numberIn('duration', values.duration, { min: 1, max: 3_600 });
}

interface Side {
  label: string;
  completed: number;
  /** Failures by cause. */
  failed: Record<string, number>;
  upstream429: number;
  /** warmline's own 429 answers (its per-key rate limit). */
  service429: number;
  seconds: number;
  firstByte: Summary;
}

/** Runs CLIENTS loops for `seconds`; each request reports its first-byte time or a failure cause. */
async function runSide(
  label: string,
  emulator: BenchEmulator,
  seconds: number,
  request: (text: string) => Promise<{ firstByteMs: number } | { failure: string }>,
): Promise<Side> {
  const failed: Record<string, number> = {};
  const firstBytes: number[] = [];
  const before = await emulator.stats();
  const started = performance.now();
  const deadline = started + seconds * 1000;
  let next = 0;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (performance.now() < deadline) {
        const result = await request(TEXTS[next++ % TEXTS.length]);
        if ('firstByteMs' in result) firstBytes.push(result.firstByteMs);
        else failed[result.failure] = (failed[result.failure] ?? 0) + 1;
      }
    }),
  );
  const after = await emulator.stats();
  return {
    label,
    completed: firstBytes.length,
    failed,
    upstream429: after.rejectedTotal - before.rejectedTotal,
    service429: failed['HTTP 429'] ?? 0,
    seconds: (performance.now() - started) / 1000,
    firstByte: summarize(firstBytes),
  };
}

/** One POST /api/v1/tts, read to the end; first byte as the client sees it. */
async function httpSynthesis(
  url: string,
  text: string,
): Promise<{ firstByteMs: number } | { failure: string }> {
  const started = performance.now();
  try {
    const response = await fetch(`${url}/api/v1/tts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text, format: 'pcm-24k' }),
    });
    if (!response.ok || response.body === null) {
      await response.arrayBuffer();
      return { failure: `HTTP ${response.status}` };
    }
    let firstByteMs: number | null = null;
    for await (const chunk of response.body) {
      if ((chunk as Uint8Array).length > 0) firstByteMs ??= performance.now() - started;
    }
    return firstByteMs === null ? { failure: 'no audio' } : { firstByteMs };
  } catch (error) {
    return { failure: (error as Error).message };
  }
}

async function noConnectionsOpen(emulator: BenchEmulator): Promise<void> {
  await until(
    async () => (await emulator.stats()).connectionsOpen === 0,
    20_000,
    'no open upstream connection',
  );
}

async function main(seconds: number): Promise<number> {
  const emulator = await startBenchEmulator('child');
  await emulator.setFaults({
    maxConnections: CAP,
    connectLatencyMs: CONNECT_LATENCY_MS,
    realtimeFactor: REALTIME_FACTOR,
  });

  progress(`(a) ${CLIENTS} clients, a new SpeechSynthesizer per request, ${seconds} s`);
  const a = await runSide('(a) new SpeechSynthesizer per request', emulator, seconds, async (text) => {
    const r = await synthesizeWithNewSynthesizer(emulator.url, textToSsml(text, BENCH_VOICE));
    if (r.ok && r.firstByteMs !== null) return { firstByteMs: r.firstByteMs };
    const status = upstreamStatus(r.error);
    return { failure: status === null ? 'other' : `upstream HTTP ${status}` };
  });

  await noConnectionsOpen(emulator);
  progress(`(b) warmline over HTTP, ${CLIENTS} clients, ${seconds} s`);
  const app = await startServerProcess({
    speechHost: emulator.url,
    env: {
      SPEECH_POOL_TTS_MAX_SIZE: String(CAP),
      SPEECH_POOL_TTS_WARM_SIZE: String(CAP),
      SPEECH_POOL_STT_WARM_SIZE: '0', // recognizers would share the upstream cap; none are used here
      SPEECH_POOL_ACQUIRE_TIMEOUT: '60',
      // The per-key request rate is not what is measured here (one caller, loopback).
      VOICE_REQUEST_RATE: '10000',
      VOICE_REQUEST_BURST: '10000',
    },
  });
  await until(async () => (await app.snapshot()).tts.warmPoolSize === CAP, 30_000, 'warm TTS pool');
  const b = await runSide(`(b) warmline HTTP API, max ${CAP}`, emulator, seconds, (text) =>
    httpSynthesis(app.url, text),
  );
  progress(`(c) OpenAI speech formats, ${FORMAT_REQUESTS} requests each, one at a time`);
  const formats = await measureFormats({
    url: app.url,
    servicePid: app.pid,
    emulatorPid: emulator.pid,
    texts: TEXTS,
    requests: FORMAT_REQUESTS,
  });
  const settled = await app.settle();
  const books = settled.tts.metrics;
  await app.close();
  await emulator.close();

  const failures = (side: Side): string =>
    Object.entries(side.failed)
      .map(([cause, n]) => `${cause}: ${n}`)
      .join(', ') || '-';
  console.log(
    `HTTP speech API: ${CLIENTS} concurrent clients for ${seconds} s per side; emulator (${emulator.where}) with ` +
      `${CONNECT_LATENCY_MS} ms per new connection, refusing upgrades beyond ${CAP} (HTTP 429), audio at ` +
      `${REALTIME_FACTOR}x real time; warmline in a child process`,
  );
  printTable(
    'completed requests, 429s and time to first audio byte',
    [
      'path',
      'completed',
      'req/s',
      'failed (by cause)',
      'upstream 429s',
      'service 429s',
      'first byte p50 ms',
      'p99 ms',
    ],
    [a, b].map((side) => [
      side.label,
      side.completed,
      side.completed / side.seconds,
      failures(side),
      side.upstream429,
      side.service429,
      side.firstByte.p50,
      side.firstByte.p99,
    ]),
  );
  printTable(
    `(c) POST /v1/audio/speech by response_format (one request at a time, audio at ${REALTIME_FACTOR}x real time)`,
    [
      'format',
      'audio s',
      'warmline CPU ms per audio s',
      'emulator CPU ms per audio s',
      'first byte p50 ms',
      'bytes per audio s',
    ],
    formats.map((cost) => [
      cost.format,
      cost.audioSeconds,
      cost.serviceCpuMsPerAudioSecond,
      cost.emulatorCpuMsPerAudioSecond,
      cost.firstByteMsP50,
      cost.bytesPerAudioSecond,
    ]),
  );
  const ratio = a.firstByte.p50 / b.firstByte.p50;
  const zero429 = b.upstream429 === 0 && b.service429 === 0;
  console.log(`first byte p50: warmline ${round(ratio)}x better than a new synthesizer per request`);
  console.log(
    `warmline pool: created ${books.resourcesCreated}, destroyed ${books.resourcesDestroyed}, ` +
      `allocations warm ${books.allocationsWarm}, cold ${books.allocationsCold}`,
  );
  console.log(
    targetLine('warmline: zero 429s', zero429, `${b.upstream429} upstream, ${b.service429} service`),
  );
  console.log(
    targetLine(
      `first byte p50 >= ${TARGET_FIRST_BYTE_RATIO}x better`,
      ratio >= TARGET_FIRST_BYTE_RATIO,
      `${round(ratio)}x`,
    ),
  );
  const sideJson = (side: Side) => ({
    completed: side.completed,
    requestsPerSecond: round(side.completed / side.seconds),
    failed: side.failed,
    upstream429: side.upstream429,
    service429: side.service429,
    firstByteMsP50: round(side.firstByte.p50),
    firstByteMsP99: round(side.firstByte.p99),
  });
  printBenchLine({
    name: 'http',
    emulator: emulator.where,
    server: 'child process',
    clients: CLIENTS,
    seconds,
    cap: CAP,
    connectLatencyMs: CONNECT_LATENCY_MS,
    realtimeFactor: REALTIME_FACTOR,
    newSynthesizerPerRequest: sideJson(a),
    warmline: sideJson(b),
    firstByteP50Ratio: round(ratio),
    formats: formats.map((cost: FormatCost) => ({
      format: cost.format,
      audioSeconds: round(cost.audioSeconds),
      serviceCpuMsPerAudioSecond: round(cost.serviceCpuMsPerAudioSecond),
      emulatorCpuMsPerAudioSecond: round(cost.emulatorCpuMsPerAudioSecond),
      firstByteMsP50: round(cost.firstByteMsP50),
      bytesPerAudioSecond: round(cost.bytesPerAudioSecond),
    })),
    targets: { zero429: zero429, firstByteRatio: ratio >= TARGET_FIRST_BYTE_RATIO },
  });
  return 0;
}

exitWith(runCommand(process.argv.slice(2), USAGE, durationSeconds, main));
