import { httpUrl, numberIn, oneOf } from '../cli/option-values';
import { parseCommandLine, UsageError } from '../cli/usage';
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
  /** Largest audio file accepted from the server, bytes; a longer answer is cut off and the line fails. */
  maxFileBytes: number;
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
  --max-size MIB     largest audio file accepted per line, MiB (default 64, the service's own default cap)
  -h, --help         this text`;

/** Parses argv (without `node` and the script); throws UsageError with a message fit for the terminal. */
export function parseBatchArgs(
  argv: readonly string[],
  env: Record<string, string | undefined> = {},
): BatchArgs {
  const { values, positionals } = parseCommandLine(argv, {
    allowPositionals: true,
    options: {
      out: { type: 'string', default: './audio' },
      concurrency: { type: 'string', default: '8' },
      url: { type: 'string', default: 'http://127.0.0.1:3000' },
      token: { type: 'string' },
      voice: { type: 'string' },
      format: { type: 'string', default: DEFAULT_HTTP_TTS_FORMAT },
      attempts: { type: 'string', default: '8' },
      'max-size': { type: 'string', default: '64' },
    },
  });
  if (positionals.length === 0) throw new UsageError('give the script file as the first argument');
  if (positionals.length > 1)
    throw new UsageError(`one script file at a time (got ${positionals.join(', ')})`);
  return {
    script: positionals[0],
    out: values.out,
    concurrency: numberIn('concurrency', values.concurrency, { min: 1, max: 256, integer: true }),
    url: httpUrl('url', values.url),
    token: values.token ?? (env['WARMLINE_API_KEY'] || undefined),
    voice: values.voice,
    format: oneOf('format', values.format, HTTP_TTS_FORMATS),
    maxAttempts: numberIn('attempts', values.attempts, { min: 1, max: 100, integer: true }),
    maxFileBytes:
      numberIn('max-size', values['max-size'], { min: 1, max: 4096, integer: true }) * 1024 * 1024,
  };
}

/**
 * The command that repeats this run (to resume it), quoting what the shell would split. Without the API key: a
 * hint printed to the terminal (and its scrollback, and CI logs) must not carry it; WARMLINE_API_KEY does.
 */
export function resumeCommand(argv: readonly string[]): string {
  const quote = (word: string): string =>
    /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
  const kept: string[] = [];
  let hadToken = false;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--') {
      kept.push(...argv.slice(i));
      break;
    }
    if (argv[i] === '--token') {
      hadToken = true;
      i++; // and its value
    } else if (argv[i].startsWith('--token=')) hadToken = true;
    else kept.push(argv[i]);
  }
  const command = `npm run batch -- ${kept.map(quote).join(' ')}`;
  return hadToken ? `WARMLINE_API_KEY=<your key> ${command}` : command;
}
