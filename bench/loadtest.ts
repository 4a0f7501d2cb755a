/**
 * Load generator for a warmline deployment (the /voice protocol of docs/protocol.md, through src/client): opens sessions at a rate, each
 * sending synthesis and recognition requests in the given mix until the duration is over, with a live progress
 * line and a final summary. Bounded: at most --sessions sessions, no request after --duration, hard stop 30 s
 * later. Recognition audio is the server's own synthesis of the text (16 kHz), so it works against any backend.
 *
 *   npm run loadtest -- --url http://127.0.0.1:3000 --sessions 50 --rate 10 --duration 60 --mix 3:1
 */
import { setMaxListeners } from 'node:events';
import { readFileSync } from 'node:fs';
import { VoiceClient, VoiceError } from '../src/client';
import { exitWith, runCommand, UsageError } from '../src/cli/usage';
import { LOADTEST_USAGE, parseLoadtestArgs, type LoadtestOptions } from './support/loadtest-args';
import { formatNumber, printTable } from './support/report';
import { round, roundSummary, summarize, type Summary } from './support/stats';
import { timedSynthesis, timedRecognition, type SttResult, type TtsResult } from './support/timed-voice';

/** One row of the latency table. */
const latencyRow = (measure: string, s: Summary): Array<string | number> => [
  measure,
  s.n,
  s.p50,
  s.p95,
  s.p99,
  s.max,
];

const DEFAULT_TEXTS = [
  'Thanks for calling. How can I help you today?',
  'Your appointment is confirmed for Tuesday at ten.',
  'Please hold while I check that for you.',
  'I can help with that. Could you tell me your order number?',
  'Is there anything else I can do for you?',
];
const HARD_STOP_AFTER_MS = 30_000;

interface Counters {
  sessionsOpened: number;
  sessionsFailed: Record<string, number>;
  sessionsOpen: number;
  tts: {
    sent: number;
    ok: number;
    errors: Record<string, number>;
    firstByte: number[];
    total: number[];
    tiers: Record<string, number>;
  };
  stt: {
    sent: number;
    ok: number;
    errors: Record<string, number>;
    stop: number[];
    finals: number;
    tiers: Record<string, number>;
  };
  completedAt: number[];
}

const bump = (map: Record<string, number>, key: string): void => {
  map[key] = (map[key] ?? 0) + 1;
};
/** Resolves after `ms`, or at once when `signal` aborts (its listener is removed either way). */
const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (ms <= 0 || signal?.aborted) return resolve();
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

class LoadTest {
  readonly counters: Counters = {
    sessionsOpened: 0,
    sessionsFailed: {},
    sessionsOpen: 0,
    tts: { sent: 0, ok: 0, errors: {}, firstByte: [], total: [], tiers: {} },
    stt: { sent: 0, ok: 0, errors: {}, stop: [], finals: 0, tiers: {} },
    completedAt: [],
  };
  /** Aborted at the end of --duration (or on Ctrl-C): no new session, no new request. */
  readonly stop = new AbortController();
  private readonly clips = new Map<string, Promise<Buffer | null>>();
  private readonly startedAt = performance.now();

  constructor(
    readonly options: LoadtestOptions,
    private readonly texts: string[],
  ) {
    setMaxListeners(0, this.stop.signal); // every waiting session listens to it
  }

  get elapsedS(): number {
    return (performance.now() - this.startedAt) / 1000;
  }

  async run(): Promise<void> {
    const { options } = this;
    const sessions: Promise<void>[] = [];
    for (let i = 0; i < options.sessions && !this.stop.signal.aborted; i++) {
      await sleep(this.startedAt + (i * 1000) / options.rate - performance.now(), this.stop.signal);
      if (this.stop.signal.aborted) break;
      sessions.push(this.session(i));
    }
    await Promise.all(sessions);
  }

  private async session(index: number): Promise<void> {
    let client: VoiceClient;
    try {
      client = await VoiceClient.connect({
        url: this.options.url,
        token: this.options.token,
        connectTimeoutMs: this.options.timeoutMs,
        ackTimeoutMs: this.options.timeoutMs,
      });
    } catch (error) {
      bump(this.counters.sessionsFailed, error instanceof VoiceError ? error.code : String(error));
      return;
    }
    this.counters.sessionsOpened++;
    this.counters.sessionsOpen++;
    try {
      const { tts, stt } = this.options.mix;
      for (let n = 0; !this.stop.signal.aborted; n++) {
        const text = this.texts[(index + n) % this.texts.length];
        if (Math.random() * (tts + stt) < tts) await this.synthesize(client, text);
        else await this.recognize(client, text);
        await sleep(this.options.thinkMs, this.stop.signal);
      }
    } finally {
      this.counters.sessionsOpen--;
      client.close();
    }
  }

  private async synthesize(client: VoiceClient, text: string): Promise<void> {
    const c = this.counters.tts;
    c.sent++;
    const r: TtsResult = await timedSynthesis(client, { text, format: this.options.format });
    if (r.ok) {
      c.ok++;
      if (r.firstByteMs !== null) c.firstByte.push(r.firstByteMs);
      c.total.push(r.totalMs);
      bump(c.tiers, r.tier ?? 'unknown');
      this.counters.completedAt.push(performance.now());
    } else bump(c.errors, r.error?.code ?? 'UNKNOWN');
  }

  private async recognize(client: VoiceClient, text: string): Promise<void> {
    const c = this.counters.stt;
    const audio = await this.clip(client, text);
    if (audio === null) {
      c.sent++;
      bump(c.errors, 'NO_AUDIO_TO_SEND');
      return;
    }
    c.sent++;
    const r: SttResult = await timedRecognition(client, audio, {
      sampleRate: 16_000,
      frameBytes: 3_200,
      framesPerSecond: this.options.sttPace === 'realtime' ? 10 : undefined,
    });
    if (r.ok) {
      c.ok++;
      c.stop.push(r.stopMs);
      c.finals += r.finals.length;
      bump(c.tiers, r.tier ?? 'unknown');
      this.counters.completedAt.push(performance.now());
    } else bump(c.errors, r.error?.code ?? 'UNKNOWN');
  }

  /** The text spoken by the server at 16 kHz, made once per text (not counted as load). */
  private clip(client: VoiceClient, text: string): Promise<Buffer | null> {
    let clip = this.clips.get(text);
    if (clip === undefined) {
      clip = timedSynthesis(client, { text, format: 'pcm-16k' }, true).then((r) =>
        r.ok && r.audio ? r.audio : null,
      );
      this.clips.set(text, clip);
      void clip.then((audio) => {
        if (audio === null) this.clips.delete(text); // try again next time
      });
    }
    return clip;
  }

  progressLine(): string {
    const c = this.counters;
    const now = performance.now();
    const lastSecond = c.completedAt.filter((t) => t > now - 1000).length;
    const errors = {
      ...c.tts.errors,
      ...prefixed('stt ', c.stt.errors),
      ...prefixed('connect ', c.sessionsFailed),
    };
    const fb = summarize(c.tts.firstByte);
    return (
      `${this.elapsedS.toFixed(0).padStart(4)} s  sessions ${c.sessionsOpen} open / ${c.sessionsOpened} opened of ` +
      `${this.options.sessions}  ${lastSecond} req/s  ok ${c.tts.ok + c.stt.ok}  errors ` +
      `${
        Object.keys(errors).length === 0
          ? '0'
          : Object.entries(errors)
              .map(([k, v]) => `${k}:${v}`)
              .join(' ')
      }  ` +
      `first byte p50 ${fb.n === 0 ? '-' : formatNumber(fb.p50)} / p99 ${fb.n === 0 ? '-' : formatNumber(fb.p99)} ms`
    );
  }

  summary(hardStopped: boolean) {
    const c = this.counters;
    const seconds = this.elapsedS;
    return {
      url: this.options.url,
      seconds: round(seconds),
      hardStopped,
      sessions: {
        asked: this.options.sessions,
        opened: c.sessionsOpened,
        failed: c.sessionsFailed,
      },
      requestsPerSecond: round((c.tts.ok + c.stt.ok) / seconds),
      tts: {
        sent: c.tts.sent,
        ok: c.tts.ok,
        errors: c.tts.errors,
        tiers: c.tts.tiers,
        firstByteMs: roundSummary(summarize(c.tts.firstByte)),
        totalMs: roundSummary(summarize(c.tts.total)),
      },
      stt: {
        sent: c.stt.sent,
        ok: c.stt.ok,
        errors: c.stt.errors,
        tiers: c.stt.tiers,
        finals: c.stt.finals,
        stopToFinalMs: roundSummary(summarize(c.stt.stop)),
      },
    };
  }
}

function prefixed(prefix: string, map: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(map).map(([k, v]) => [`${prefix}${k}`, v]));
}

/** The texts to synthesize: `--text-file`'s lines, or the built-in ones. */
function loadTexts(path: string | undefined): string[] {
  if (path === undefined) return DEFAULT_TEXTS;
  let content: string;
  try {
    content = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read --text-file ${path}: ${(error as Error).message}`);
  }
  const texts = content
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  if (texts.length === 0) throw new UsageError(`--text-file ${path} has no non-empty line`);
  const tooLong = texts.findIndex((t) => t.length > 5_000);
  if (tooLong >= 0) throw new UsageError(`--text-file line ${tooLong + 1} is longer than 5,000 characters`);
  return texts;
}

function printSummary(s: ReturnType<LoadTest['summary']>): void {
  const errors = (m: Record<string, number>): string =>
    Object.entries(m)
      .map(([k, v]) => `${k}: ${v}`)
      .join(', ') || '-';
  console.log('');
  console.log(
    `loadtest of ${s.url}: ${s.seconds} s${s.hardStopped ? ' (hard stop: requests were still waiting)' : ''}, ` +
      `${s.sessions.opened}/${s.sessions.asked} sessions opened (failed: ${errors(s.sessions.failed)}), ` +
      `${s.requestsPerSecond} completed requests/s`,
  );
  printTable(
    'requests',
    ['type', 'sent', 'ok', 'errors', 'tiers'],
    [
      ['tts.synthesize', s.tts.sent, s.tts.ok, errors(s.tts.errors), errors(s.tts.tiers)],
      ['stt (start, audio, stop)', s.stt.sent, s.stt.ok, errors(s.stt.errors), errors(s.stt.tiers)],
    ],
  );
  printTable(
    'latency, ms (client-side)',
    ['measure', 'n', 'p50', 'p95', 'p99', 'max'],
    [
      latencyRow('tts first audio byte', s.tts.firstByteMs),
      latencyRow('tts complete (ack)', s.tts.totalMs),
      latencyRow('stt stop -> ack (finals in)', s.stt.stopToFinalMs),
    ],
  );
  console.log(`recognition finals received: ${s.stt.finals}`);
}

async function main({ options, texts }: { options: LoadtestOptions; texts: string[] }): Promise<number> {
  const test = new LoadTest(options, texts);
  const tty = process.stderr.isTTY === true;
  const ticker = setInterval(
    () => {
      if (tty) process.stderr.write(`\r${test.progressLine()}\x1b[K`);
      else process.stderr.write(`${test.progressLine()}\n`);
    },
    tty ? 1_000 : 5_000,
  );
  const finish = (hardStopped: boolean): void => {
    clearInterval(ticker);
    if (tty) process.stderr.write('\n');
    const summary = test.summary(hardStopped);
    if (options.json) console.log(JSON.stringify(summary));
    else printSummary(summary);
  };
  const endOfDuration = setTimeout(() => test.stop.abort(), options.durationS * 1000);
  const hardStop = setTimeout(
    () => {
      finish(true);
      process.exit(3);
    },
    options.durationS * 1000 + HARD_STOP_AFTER_MS,
  );
  process.once('SIGINT', () => test.stop.abort()); // Ctrl-C: wind down and print what was measured

  await test.run();
  clearTimeout(endOfDuration);
  clearTimeout(hardStop);
  finish(false);
  const ok = test.counters.tts.ok + test.counters.stt.ok;
  return ok > 0 ? 0 : 1;
}

/** The options, and the texts they name (a missing or unusable --text-file is a usage error too). */
function parseCommand(argv: readonly string[]): { options: LoadtestOptions; texts: string[] } {
  const options = parseLoadtestArgs(argv);
  return { options, texts: loadTexts(options.textFile) };
}

exitWith(runCommand(process.argv.slice(2), LOADTEST_USAGE, parseCommand, main));
