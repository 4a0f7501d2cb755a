/** Command line of `npm run loadtest` (pure: parsed and validated here, unit-tested in test/). */
import { parseArgs } from 'node:util';

export interface LoadtestOptions {
  /** `http(s)://host:port` of a warmline deployment. */
  url: string;
  token: string | undefined;
  /** Sessions to open in total (each stays until the end). */
  sessions: number;
  /** New sessions per second while opening them. */
  rate: number;
  /** Seconds from the start until no new request is sent; in-flight ones then finish (bounded by the ack timeout). */
  durationS: number;
  /** Relative weights of synthesis and recognition requests, from `--mix tts:stt`. */
  mix: { tts: number; stt: number };
  textFile: string | undefined;
  /** Pause between one session's requests, ms. */
  thinkMs: number;
  format: 'pcm-16k' | 'pcm-24k' | 'pcm-48k';
  /** Recognition audio sent as a microphone would (real time) or as fast as the server's frame limit allows. */
  sttPace: 'realtime' | 'fast';
  /** Longest wait for any one ack, ms. */
  timeoutMs: number;
  json: boolean;
  help: boolean;
}

export const LOADTEST_USAGE = `Usage: npm run loadtest -- [options]

  --url URL           warmline base URL (default http://127.0.0.1:3000); the /voice namespace is added
  --token KEY         API key for the handshake (VOICE_API_KEYS); not needed for a loopback server without keys
  --sessions N        sessions to open (default 20, at most 50000)
  --rate R            new sessions per second (default 5)
  --duration S        seconds to send requests (default 30, at most 86400); then in-flight requests finish
  --mix T:S           weights of tts.synthesize and stt (start/audio/stop) requests (default 3:1; 1:0 = TTS only)
  --text-file PATH    one text per line for synthesis (default: a few built-in sentences)
  --think MS          pause between a session's requests (default 500)
  --format F          pcm-16k | pcm-24k | pcm-48k (default pcm-24k)
  --stt-pace P        realtime (100 ms of audio every 100 ms, default) | fast
  --timeout MS        longest wait for one ack (default 20000)
  --json              print the final summary as one JSON object (progress still goes to stderr)
  -h, --help          this text

It stops by itself: no new session after --sessions, no new request after --duration, and a hard stop
30 s after that.`;

export class LoadtestUsageError extends Error {}

function number(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new LoadtestUsageError(
      `--${name} must be a number from ${min} to ${max} (got ${JSON.stringify(raw)})`,
    );
  }
  return value;
}

export function parseLoadtestArgs(argv: string[]): LoadtestOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        url: { type: 'string' },
        token: { type: 'string' },
        sessions: { type: 'string' },
        rate: { type: 'string' },
        duration: { type: 'string' },
        mix: { type: 'string' },
        'text-file': { type: 'string' },
        think: { type: 'string' },
        format: { type: 'string' },
        'stt-pace': { type: 'string' },
        timeout: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new LoadtestUsageError((error as Error).message);
  }
  const str = (name: string): string | undefined => values[name] as string | undefined;

  const url = str('url') ?? 'http://127.0.0.1:3000';
  let parsedUrl: URL;
  try {
    parsedUrl = new URL(url);
  } catch {
    throw new LoadtestUsageError(
      `--url must be a URL such as http://127.0.0.1:3000 (got ${JSON.stringify(url)})`,
    );
  }
  if (!['http:', 'https:', 'ws:', 'wss:'].includes(parsedUrl.protocol)) {
    throw new LoadtestUsageError(`--url must be http(s):// or ws(s):// (got ${parsedUrl.protocol})`);
  }

  const mixRaw = str('mix') ?? '3:1';
  const mixMatch = /^(\d+(?:\.\d+)?):(\d+(?:\.\d+)?)$/.exec(mixRaw);
  if (mixMatch === null || Number(mixMatch[1]) + Number(mixMatch[2]) <= 0) {
    throw new LoadtestUsageError(
      `--mix must be two weights like 3:1 or 1:0, not both zero (got ${JSON.stringify(mixRaw)})`,
    );
  }

  const format = str('format') ?? 'pcm-24k';
  if (format !== 'pcm-16k' && format !== 'pcm-24k' && format !== 'pcm-48k') {
    throw new LoadtestUsageError(
      `--format must be pcm-16k, pcm-24k or pcm-48k (got ${JSON.stringify(format)})`,
    );
  }
  const sttPace = str('stt-pace') ?? 'realtime';
  if (sttPace !== 'realtime' && sttPace !== 'fast') {
    throw new LoadtestUsageError(`--stt-pace must be realtime or fast (got ${JSON.stringify(sttPace)})`);
  }

  return {
    url: url.replace(/\/+$/, ''),
    token: str('token'),
    sessions: Math.round(number('sessions', str('sessions'), 20, 1, 50_000)),
    rate: number('rate', str('rate'), 5, 0.01, 10_000),
    durationS: number('duration', str('duration'), 30, 1, 86_400),
    mix: { tts: Number(mixMatch[1]), stt: Number(mixMatch[2]) },
    textFile: str('text-file'),
    thinkMs: number('think', str('think'), 500, 0, 3_600_000),
    format,
    sttPace,
    timeoutMs: number('timeout', str('timeout'), 20_000, 100, 600_000),
    json: values.json === true,
    help: values.help === true,
  };
}
