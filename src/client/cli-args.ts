/** What `npm run client -- "text" [options]` asks for. */
export interface ClientArgs {
  text: string;
  url: string;
  token: string | undefined;
  voice: string | undefined;
  format: 'pcm-16k' | 'pcm-24k' | 'pcm-48k';
  out: string;
  timeoutMs: number;
}

export const USAGE = `usage: npm run client -- "some text" [options]

Synthesizes the text through a running warmline service and writes a WAV file.

options:
  --url URL        service address (default http://127.0.0.1:3000)
  --token T        API key (VOICE_API_KEYS); not needed from loopback when the service has no keys
  --voice V        voice name, e.g. en-US-JennyNeural (default: the service's)
  --format F       pcm-16k | pcm-24k | pcm-48k (default pcm-24k)
  --out FILE       output file (default warmline.wav)
  --timeout S      give up after S seconds (default 60)
  --help           this text`;

const FORMATS = ['pcm-16k', 'pcm-24k', 'pcm-48k'] as const;
const OPTIONS = ['--url', '--token', '--voice', '--format', '--out', '--timeout'];

export class UsageError extends Error {}

/** Parses argv (without `node` and the script); throws UsageError with a message fit for the terminal. */
export function parseClientArgs(argv: readonly string[]): ClientArgs | 'help' {
  const args: ClientArgs = {
    text: '',
    url: 'http://127.0.0.1:3000',
    token: undefined,
    voice: undefined,
    format: 'pcm-24k',
    out: 'warmline.wav',
    timeoutMs: 60_000,
  };
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') return 'help';
    if (!arg.startsWith('--')) {
      words.push(arg);
      continue;
    }
    const [name, inline] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg];
    if (!OPTIONS.includes(name)) throw new UsageError(`unknown option ${name}`);
    const value = inline ?? argv[++i];
    if (value === undefined) throw new UsageError(`${name} needs a value`);
    switch (name) {
      case '--url':
        if (!/^https?:\/\//.test(value)) throw new UsageError(`--url must start with http:// or https://`);
        args.url = value.replace(/\/+$/, '');
        break;
      case '--token':
        args.token = value;
        break;
      case '--voice':
        args.voice = value;
        break;
      case '--format':
        if (!(FORMATS as readonly string[]).includes(value)) {
          throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`);
        }
        args.format = value as ClientArgs['format'];
        break;
      case '--out':
        args.out = value;
        break;
      case '--timeout': {
        const seconds = Number(value);
        if (!(seconds > 0)) throw new UsageError('--timeout must be a positive number of seconds');
        args.timeoutMs = seconds * 1000;
        break;
      }
      default:
        throw new UsageError(`unknown option ${name}`);
    }
  }
  args.text = words.join(' ').trim();
  if (args.text === '') throw new UsageError('nothing to say: give the text as the first argument');
  return args;
}

export function sampleRateOf(format: ClientArgs['format']): number {
  return Number(format.slice(4, -1)) * 1000;
}
