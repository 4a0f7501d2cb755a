/**
 * Endpointing latency, the wait an agent feels after its caller stops talking: from the end of the speech (the
 * audio frame holding its last loud sample leaves the client) to the final transcript arriving, at endSilenceMs
 * 300 / 500 / the service default, and the first partial after the speech starts.
 *   (a) the Speech SDK straight to the emulator: a SpeechRecognizer connected before the clock starts;
 *   (b) warmline: a voice session's stt.start (a WARM recognizer) with the same option, audio as stt.audio.
 * Audio is fed at real time in 20 ms frames (as a microphone or a telephony bridge delivers it), the emulator's
 * own speech with silence before and after; the two paths alternate per iteration, so machine noise hits both.
 * Target: warmline adds at most 5 ms at p99, and the latency follows endSilenceMs.
 *
 *   npm run bench -- listen
 *   LISTEN_ITERATIONS=30 npm run bench -- listen      # more samples (each run takes about 3 s of real time)
 */
import {
  AudioConfig,
  AudioInputStream,
  AudioStreamFormat,
  Connection,
  PropertyId,
  ResultReason,
  SpeechConfig,
  SpeechRecognizer,
  SpeechSynthesisOutputFormat,
  SpeechSynthesizer,
} from 'microsoft-cognitiveservices-speech-sdk';
import { VoiceClient } from '../src/client';
import { textToSsml } from '../src/speech/ssml';
import { startBenchEmulator } from './support/emulator';
import { printBenchLine, printTable, progress, targetLine } from './support/report';
import { BENCH_KEY, BENCH_VOICE } from './support/sdk';
import { round, roundSummary, summarize, type Summary } from './support/stats';
import { settleBenchApp, startBenchApp, until, type BenchApp } from './support/voice-app';

const ITERATIONS = Number(process.env.LISTEN_ITERATIONS ?? 12);
const WARMUP_ITERATIONS = 2;
const RATE = 16_000;
const FRAME_MS = 20;
const FRAME_BYTES = (RATE * 2 * FRAME_MS) / 1000;
/** One sentence: at endSilenceMs 300 the pause between two sentences would end a phrase of its own. */
const TEXT = 'Thanks for calling, how can I help you today?';
const LEAD_MS = 400;
/** Silence after the speech: longer than any endSilenceMs measured, so every phrase ends inside it. */
const TRAIL_MS = 1_300;
/** A sample this loud is speech (the voice's own lead and tail silences are digital zero). */
const SPEECH_LEVEL = 300;
const TARGET_ADDED_P99_MS = 5;
/** undefined: the service's default (500 ms). */
const SETTINGS: Array<number | undefined> = [300, 500, undefined];

interface RunTimes {
  /** End of speech → the last final transcript, ms. */
  finalMs: number | null;
  /** Start of speech → first partial, ms. */
  partialMs: number | null;
  finals: number;
}

const label = (endSilenceMs: number | undefined): string =>
  endSilenceMs === undefined ? 'default' : `${endSilenceMs} ms`;

async function synthesizeSpeech(url: string): Promise<Buffer> {
  const config = SpeechConfig.fromHost(new URL(url), BENCH_KEY);
  config.speechSynthesisOutputFormat = SpeechSynthesisOutputFormat.Raw16Khz16BitMonoPcm;
  const synthesizer = new SpeechSynthesizer(config, null);
  try {
    const audio = await new Promise<ArrayBuffer>((resolve, reject) =>
      synthesizer.speakSsmlAsync(
        textToSsml(TEXT, BENCH_VOICE),
        (result) =>
          result.reason === ResultReason.SynthesizingAudioCompleted
            ? resolve(result.audioData)
            : reject(new Error(result.errorDetails)),
        (error) => reject(new Error(error)),
      ),
    );
    return Buffer.from(audio);
  } finally {
    synthesizer.close();
  }
}

/** The speech with silence around it, and the frames that hold its first and last loud samples. */
function prepareAudio(speech: Buffer): { audio: Buffer; firstFrame: number; lastFrame: number } {
  const silence = (ms: number): Buffer => Buffer.alloc((RATE * 2 * ms) / 1000);
  const audio = Buffer.concat([silence(LEAD_MS), speech, silence(TRAIL_MS)]);
  let first = -1;
  let last = -1;
  for (let i = 0; i + 1 < audio.length; i += 2) {
    if (Math.abs(audio.readInt16LE(i)) >= SPEECH_LEVEL) {
      if (first < 0) first = i;
      last = i;
    }
  }
  return { audio, firstFrame: Math.floor(first / FRAME_BYTES), lastFrame: Math.floor(last / FRAME_BYTES) };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/**
 * Feeds `audio` at real time, frame by frame; returns when the speech started and ended (performance.now() right
 * after the frame holding its first / last loud sample was handed over).
 */
async function feed(
  audio: Buffer,
  marks: { firstFrame: number; lastFrame: number },
  write: (frame: Buffer) => void,
): Promise<{ speechStart: number; speechEnd: number }> {
  const t0 = performance.now();
  let speechStart = 0;
  let speechEnd = 0;
  const frames = Math.ceil(audio.length / FRAME_BYTES);
  for (let i = 0; i < frames; i++) {
    await sleep(t0 + i * FRAME_MS - performance.now());
    write(audio.subarray(i * FRAME_BYTES, (i + 1) * FRAME_BYTES));
    if (i === marks.firstFrame) speechStart = performance.now();
    if (i === marks.lastFrame) speechEnd = performance.now();
  }
  return { speechStart, speechEnd };
}

/** (a) The SDK straight to the emulator, connected before the clock starts. */
async function runSdk(
  url: string,
  audio: Buffer,
  marks: { firstFrame: number; lastFrame: number },
  endSilenceMs: number | undefined,
): Promise<RunTimes> {
  const config = SpeechConfig.fromHost(new URL(url), BENCH_KEY);
  config.speechRecognitionLanguage = 'en-US';
  if (endSilenceMs !== undefined) {
    config.setProperty(PropertyId.Speech_SegmentationSilenceTimeoutMs, String(endSilenceMs));
  }
  const push = AudioInputStream.createPushStream(AudioStreamFormat.getWaveFormatPCM(RATE, 16, 1));
  const recognizer = new SpeechRecognizer(config, AudioConfig.fromStreamInput(push));
  const times: { final: number | null; partial: number | null; finals: number } = {
    final: null,
    partial: null,
    finals: 0,
  };
  recognizer.recognizing = () => {
    times.partial ??= performance.now();
  };
  recognizer.recognized = (_r, e) => {
    if (e.result.reason !== ResultReason.RecognizedSpeech) return;
    times.final = performance.now();
    times.finals++;
  };
  const stopped = new Promise<void>((resolve) => {
    recognizer.sessionStopped = () => resolve();
    recognizer.canceled = () => resolve();
  });
  try {
    const connection = Connection.fromRecognizer(recognizer);
    await new Promise<void>((resolve, reject) =>
      connection.openConnection(resolve, (e) => reject(new Error(e))),
    );
    await new Promise<void>((resolve, reject) =>
      recognizer.startContinuousRecognitionAsync(resolve, (e) => reject(new Error(e))),
    );
    const { speechStart, speechEnd } = await feed(audio, marks, (frame) =>
      push.write(frame.buffer.slice(frame.byteOffset, frame.byteOffset + frame.byteLength) as ArrayBuffer),
    );
    push.close();
    await Promise.race([stopped, sleep(5_000)]);
    await new Promise<void>((resolve) => recognizer.stopContinuousRecognitionAsync(resolve, () => resolve()));
    return {
      finalMs: times.final === null ? null : times.final - speechEnd,
      partialMs: times.partial === null ? null : times.partial - speechStart,
      finals: times.finals,
    };
  } finally {
    recognizer.close();
  }
}

/** (b) warmline: stt.start on a voice session (WARM), the audio as stt.audio frames. */
async function runWarmline(
  client: VoiceClient,
  audio: Buffer,
  marks: { firstFrame: number; lastFrame: number },
  endSilenceMs: number | undefined,
): Promise<RunTimes & { tier: string }> {
  const times: { final: number | null; partial: number | null } = { final: null, partial: null };
  const recognition = client.recognize(
    { sampleRate: RATE, ...(endSilenceMs === undefined ? {} : { endSilenceMs }) },
    {
      onPartial: () => {
        times.partial ??= performance.now();
      },
      onFinal: () => {
        times.final = performance.now();
      },
    },
  );
  const { tier } = await recognition.started;
  const { speechStart, speechEnd } = await feed(audio, marks, (frame) => recognition.send(frame));
  const { finals } = await recognition.stop();
  return {
    finalMs: times.final === null ? null : times.final - speechEnd,
    partialMs: times.partial === null ? null : times.partial - speechStart,
    finals,
    tier,
  };
}

/** The previous recognizer is back (destroyed) and the warm stack is full again: the next start finds it WARM. */
function recognizersSettled(app: BenchApp): Promise<void> {
  return until(
    () => {
      const s = app.stt.snapshot();
      return s.inUse === 0 && s.pendingAcquires === 0 && s.warmPoolSize >= s.warmPoolTarget;
    },
    10_000,
    'recognizers settled',
  );
}

interface Series {
  finalMs: number[];
  partialMs: number[];
}

async function main(): Promise<void> {
  const emulator = await startBenchEmulator('child');
  const app = await startBenchApp({ speechHost: emulator.url, env: { SPEECH_POOL_WARM_SIZE: '2' } });
  const speech = await synthesizeSpeech(emulator.url);
  const { audio, ...marks } = prepareAudio(speech);
  const speechMs = ((marks.lastFrame - marks.firstFrame + 1) * FRAME_MS) | 0;
  await settleBenchApp(app, 30_000);
  const client = await VoiceClient.connect({ url: app.url });

  const series = new Map<string, Series>();
  const at = (key: string): Series => {
    let s = series.get(key);
    if (!s) series.set(key, (s = { finalMs: [], partialMs: [] }));
    return s;
  };
  const problems: string[] = [];
  let notWarm = 0;
  const total = WARMUP_ITERATIONS + ITERATIONS;
  const started = Date.now();
  for (let i = 0; i < total; i++) {
    const record = i >= WARMUP_ITERATIONS;
    for (const setting of SETTINGS) {
      const steps: Array<[string, () => Promise<RunTimes & { tier?: string }>]> = [
        ['sdk', () => runSdk(emulator.url, audio, marks, setting)],
        [
          'warmline',
          async () => {
            await recognizersSettled(app);
            return runWarmline(client, audio, marks, setting);
          },
        ],
      ];
      if (i % 2 === 1) steps.reverse();
      for (const [path, run] of steps) {
        const r = await run();
        if (r.finalMs === null || r.finals < 1) {
          problems.push(`${path} ${label(setting)}: ${r.finals} finals`);
          continue;
        }
        if (!record) continue;
        if (r.tier !== undefined && r.tier !== 'warm') notWarm++;
        const s = at(`${path}|${label(setting)}`);
        s.finalMs.push(r.finalMs);
        if (r.partialMs !== null) s.partialMs.push(r.partialMs);
      }
    }
    progress(`${i + 1}/${total} iterations, ${Math.round((Date.now() - started) / 1000)} s`);
  }
  client.close();
  await app.close();
  await emulator.close();

  console.log(
    `endpointing latency: warmline (in-process) vs the SDK straight to the emulator (${emulator.where}); audio fed ` +
      `at real time in ${FRAME_MS} ms frames: ${LEAD_MS} ms silence, ${speechMs} ms of the emulator's speech ` +
      `("${TEXT}"), ${TRAIL_MS} ms silence; ${ITERATIONS} iterations (+${WARMUP_ITERATIONS} warm-up), paths alternating`,
  );
  const rows: Array<Array<string | number>> = [];
  const results: Record<string, unknown> = {};
  let addedWorst = -Infinity;
  for (const setting of SETTINGS) {
    const key = label(setting);
    const sdk = summarize(at(`sdk|${key}`).finalMs);
    const warm = summarize(at(`warmline|${key}`).finalMs);
    const sdkPartial = summarize(at(`sdk|${key}`).partialMs);
    const warmPartial = summarize(at(`warmline|${key}`).partialMs);
    const row = (path: string, f: Summary, p: Summary) => [key, path, f.n, f.p50, f.p99, p.p50, p.p99];
    rows.push(row('(a) SDK straight to the emulator', sdk, sdkPartial));
    rows.push(row('(b) warmline stt.start (WARM)', warm, warmPartial));
    addedWorst = Math.max(addedWorst, warm.p99 - sdk.p99);
    results[key] = {
      sdk: roundSummary(sdk),
      warmline: roundSummary(warm),
      sdkFirstPartial: roundSummary(sdkPartial),
      warmlineFirstPartial: roundSummary(warmPartial),
      addedP50: round(warm.p50 - sdk.p50),
      addedP99: round(warm.p99 - sdk.p99),
    };
  }
  printTable(
    'end of speech → final transcript, and speech start → first partial, ms',
    ['endSilenceMs', 'path', 'n', 'final p50', 'final p99', 'partial p50', 'partial p99'],
    rows,
  );
  printTable(
    'warmline minus the SDK directly, ms (same run)',
    ['endSilenceMs', 'final p50', 'final p99'],
    SETTINGS.map((setting) => {
      const r = results[label(setting)] as { addedP50: number; addedP99: number };
      return [label(setting), r.addedP50, r.addedP99];
    }),
  );
  console.log(`
warmline tiers not WARM: ${notWarm}; runs without a final: ${problems.length}`);
  if (problems.length > 0) console.log(`  ${problems.slice(0, 5).join('; ')}`);
  const p50 = (setting: number | undefined): number =>
    (results[label(setting)] as { warmline: Summary }).warmline.p50;
  const follows = p50(300) < p50(500);
  console.log(
    targetLine(
      `warmline adds <= ${TARGET_ADDED_P99_MS} ms at p99`,
      addedWorst <= TARGET_ADDED_P99_MS,
      `worst ${round(addedWorst)} ms`,
    ),
  );
  console.log(
    targetLine(
      'latency follows endSilenceMs (300 ms faster than 500 ms at p50)',
      follows,
      `${round(p50(300))} vs ${round(p50(500))} ms`,
    ),
  );
  printBenchLine({
    bench: 'listen',
    iterations: ITERATIONS,
    speechMs,
    results,
    notWarm,
    problems: problems.length,
  });
  if (problems.length > 0 || notWarm > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
