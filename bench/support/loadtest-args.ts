/** Command line of `npm run loadtest` (pure: parsed and validated here, unit-tested in test/). */
import { numberIn, oneOf } from '../../src/cli/option-values';
import { parseCommandLine, UsageError } from '../../src/cli/usage';
import { TTS_FORMATS, type TtsFormat } from '../../src/protocol';

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
  format: TtsFormat;
  /** Recognition audio sent as a microphone would (real time) or as fast as the server's frame limit allows. */
  sttPace: 'realtime' | 'fast';
  /** Longest wait for any one ack, ms. */
  timeoutMs: number;
  json: boolean;
}

export const LOADTEST_USAGE = `usage: npm run loadtest -- [options]

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

/** Parses argv (without `node` and the script); throws UsageError with a message fit for the terminal. */
export function parseLoadtestArgs(argv: readonly string[]): LoadtestOptions {
  const { values } = parseCommandLine(argv, {
    options: {
      url: { type: 'string', default: 'http://127.0.0.1:3000' },
      token: { type: 'string' },
      sessions: { type: 'string', default: '20' },
      rate: { type: 'string', default: '5' },
      duration: { type: 'string', default: '30' },
      mix: { type: 'string', default: '3:1' },
      'text-file': { type: 'string' },
      think: { type: 'string', default: '500' },
      format: { type: 'string', default: 'pcm-24k' },
      'stt-pace': { type: 'string', default: 'realtime' },
      timeout: { type: 'string', default: '20000' },
      json: { type: 'boolean', default: false },
    },
  });

  let parsedUrl: URL;
  try {
    parsedUrl = new URL(values.url);
  } catch {
    throw new UsageError(
      `--url must be a URL such as http://127.0.0.1:3000 (got ${JSON.stringify(values.url)})`,
    );
  }
  if (!['http:', 'https:', 'ws:', 'wss:'].includes(parsedUrl.protocol)) {
    throw new UsageError(`--url must be http(s):// or ws(s):// (got ${parsedUrl.protocol})`);
  }

  const mixMatch = /^(\d+(?:\.\d+)?):(\d+(?:\.\d+)?)$/.exec(values.mix);
  if (mixMatch === null || Number(mixMatch[1]) + Number(mixMatch[2]) <= 0) {
    throw new UsageError(
      `--mix must be two weights like 3:1 or 1:0, not both zero (got ${JSON.stringify(values.mix)})`,
    );
  }

  return {
    url: values.url.replace(/\/+$/, ''),
    token: values.token,
    sessions: numberIn('sessions', values.sessions, { min: 1, max: 50_000, integer: true }),
    rate: numberIn('rate', values.rate, { min: 0.01, max: 10_000 }),
    durationS: numberIn('duration', values.duration, { min: 1, max: 86_400 }),
    mix: { tts: Number(mixMatch[1]), stt: Number(mixMatch[2]) },
    textFile: values['text-file'],
    thinkMs: numberIn('think', values.think, { min: 0, max: 3_600_000 }),
    format: oneOf('format', values.format, TTS_FORMATS),
    sttPace: oneOf('stt-pace', values['stt-pace'], ['realtime', 'fast'] as const),
    timeoutMs: numberIn('timeout', values.timeout, { min: 100, max: 600_000 }),
    json: values.json,
  };
}
