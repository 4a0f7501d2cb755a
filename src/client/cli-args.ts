import { httpUrl, numberIn, oneOf } from '../cli/option-values';
import { parseCommandLine, UsageError } from '../cli/usage';
import { DEFAULT_TTS_FORMAT, TTS_FORMATS, type TtsFormat } from '../protocol';

/** What `npm run client -- "text" [options]` asks for. */
export interface ClientArgs {
  text: string;
  url: string;
  token: string | undefined;
  voice: string | undefined;
  format: TtsFormat;
  out: string;
  timeoutMs: number;
}

export const USAGE = `usage: npm run client -- "some text" [options]

Synthesizes the text through a running warmline service and writes a WAV file.

options:
  --url URL        service address (default http://127.0.0.1:3000)
  --token T        API key (VOICE_API_KEYS); not needed from loopback when the service has no keys
  --voice V        voice name, e.g. en-US-JennyNeural (default: the service's)
  --format F       ${TTS_FORMATS.join(' | ')} (default ${DEFAULT_TTS_FORMAT})
  --out FILE       output file (default warmline.wav)
  --timeout S      give up after S seconds (default 60)
  -h, --help       this text`;

/** Parses argv (without `node` and the script); throws UsageError with a message fit for the terminal. */
export function parseClientArgs(argv: readonly string[]): ClientArgs {
  const { values, positionals } = parseCommandLine(argv, {
    allowPositionals: true,
    options: {
      url: { type: 'string', default: 'http://127.0.0.1:3000' },
      token: { type: 'string' },
      voice: { type: 'string' },
      format: { type: 'string', default: DEFAULT_TTS_FORMAT },
      out: { type: 'string', default: 'warmline.wav' },
      timeout: { type: 'string', default: '60' },
    },
  });
  const text = positionals.join(' ').trim();
  if (text === '') throw new UsageError('nothing to say: give the text as the first argument');
  return {
    text,
    url: httpUrl('url', values.url),
    token: values.token,
    voice: values.voice,
    format: oneOf('format', values.format, TTS_FORMATS),
    out: values.out,
    timeoutMs: numberIn('timeout', values.timeout, { min: 0.1, max: 86_400 }) * 1000,
  };
}

/** The sample rate of a synthesis format (`pcm-24k` → 24000). */
export function sampleRateOf(format: TtsFormat): number {
  return Number(format.slice(4, -1)) * 1000;
}
