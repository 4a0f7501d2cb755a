import {
  DEFAULT_HTTP_TTS_FORMAT,
  HTTP_TTS_FORMATS,
  type HttpTtsFormat,
} from '../http-api/http-audio-formats';

/** What `npm run batch -- script.txt [options]` asks for. */
export interface BatchArgs {
  script: string;
  out: string;
  concurrency: number;
  url: string;
  token: string | undefined;
  voice: string | undefined;
  format: HttpTtsFormat;
  /** Attempts per line before it counts as failed (retryable failures only). */
  maxAttempts: number;
}

export const USAGE = `usage: npm run batch -- SCRIPT [options]

Voices a text file through a running warmline's HTTP API, one audio file per utterance. SCRIPT is plain text
(one utterance per paragraph; paragraphs are separated by blank lines) or JSON Lines (.jsonl) of
{"id": "...", "text": "...", "voice": "..."} (voice optional). Files are written atomically, so a run that was
stopped can be started again with the same command: finished files are skipped.

options:
  --out DIR          output directory (default ./audio)
  --concurrency N    requests at a time (default 8)
  --url URL          warmline's address (default http://127.0.0.1:3000)
  --token T          API key (VOICE_API_KEYS; default $WARMLINE_API_KEY); not needed from loopback without keys
  --voice V          voice for every line without its own (default: the service's)
  --format F         ${HTTP_TTS_FORMATS.join(' | ')} (default ${DEFAULT_HTTP_TTS_FORMAT})
  --attempts N       tries per line for retryable failures (default 8)
  --help             this text`;

const OPTIONS = ['--out', '--concurrency', '--url', '--token', '--voice', '--format', '--attempts'];

export class UsageError extends Error {}

function positiveInteger(name: string, value: string, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw new UsageError(`${name} must be an integer from 1 to ${max}`);
  return n;
}

/** Parses argv (without `node` and the script); throws UsageError with a message fit for the terminal. */
export function parseBatchArgs(
  argv: readonly string[],
  env: Record<string, string | undefined> = {},
): BatchArgs | 'help' {
  const args: BatchArgs = {
    script: '',
    out: './audio',
    concurrency: 8,
    url: 'http://127.0.0.1:3000',
    token: env['WARMLINE_API_KEY'] || undefined,
    voice: undefined,
    format: DEFAULT_HTTP_TTS_FORMAT,
    maxAttempts: 8,
  };
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') return 'help';
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(0, eq) : arg;
    if (!OPTIONS.includes(name)) throw new UsageError(`unknown option ${name}`);
    const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new UsageError(`${name} needs a value`);
    switch (name) {
      case '--out':
        args.out = value;
        break;
      case '--concurrency':
        args.concurrency = positiveInteger(name, value, 256);
        break;
      case '--url':
        if (!/^https?:\/\//.test(value)) throw new UsageError('--url must start with http:// or https://');
        args.url = value.replace(/\/+$/, '');
        break;
      case '--token':
        args.token = value;
        break;
      case '--voice':
        args.voice = value;
        break;
      case '--format':
        if (!(HTTP_TTS_FORMATS as readonly string[]).includes(value)) {
          throw new UsageError(`--format must be one of ${HTTP_TTS_FORMATS.join(', ')}`);
        }
        args.format = value as HttpTtsFormat;
        break;
      case '--attempts':
        args.maxAttempts = positiveInteger(name, value, 100);
        break;
    }
  }
  if (positional.length === 0) throw new UsageError('give the script file as the first argument');
  if (positional.length > 1) throw new UsageError(`one script file at a time (got ${positional.join(', ')})`);
  args.script = positional[0];
  return args;
}

/** The command that repeats this run (to resume it), quoting what the shell would split. */
export function resumeCommand(argv: readonly string[]): string {
  const quote = (word: string): string =>
    /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
  return `npm run batch -- ${argv.map(quote).join(' ')}`;
}
