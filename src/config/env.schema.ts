import { z } from 'zod';

/**
 * One zod schema per environment variable (documented in docs/configuration.md), keyed by the variable's name so
 * that every issue can be reported against the variable that caused it. Values arrive as strings (or undefined); a blank value counts as
 * unset, so `VAR=` in a .env file means "use the default".
 *
 * Messages are written for operators and never contain the value: `validateEnv` adds the received value itself,
 * and only for variables that are not secret (see SECRET_VARIABLES).
 */

/** What SHUTDOWN_TIMEOUT must leave beyond VOICE_DRAIN_TIMEOUT: stopping late work, closing pools and sockets. */
export const SHUTDOWN_ROOM_SECONDS = 3;

/** Node timers overflow above 2^31-1 ms (about 24.8 days); every duration must fit in one. */
export const MAX_DURATION_SECONDS = 2_147_483;
export const PINO_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof PINO_LEVELS)[number];
export const SPEECH_EMULATOR_MODES = ['auto', 'on', 'off'] as const;
export type SpeechEmulatorMode = (typeof SPEECH_EMULATOR_MODES)[number];
export const SPEECH_AUTH_MODES = ['key', 'entra'] as const;
export type SpeechAuthMode = (typeof SPEECH_AUTH_MODES)[number];
export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];
/** The voice names of OpenAI's speech API, which OPENAI_VOICE_MAP maps onto upstream voices. */
export const OPENAI_VOICE_NAMES = ['alloy', 'echo', 'fable', 'onyx', 'nova', 'shimmer'] as const;
export type OpenAiVoiceName = (typeof OPENAI_VOICE_NAMES)[number];

/** Shorter keys can be guessed; 16 random characters are far out of reach of any rate of attempts. */
export const MIN_API_KEY_LENGTH = 16;

/** Blank means unset; everything else is trimmed. */
function blankToUndefined(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

function env<T extends z.ZodType>(schema: T) {
  return z.preprocess(blankToUndefined, schema);
}

function integer(min: number, max: number) {
  const message = `must be a whole number from ${min} to ${max}`;
  return z
    .string()
    .regex(/^\d+$/, message)
    .transform(Number)
    .pipe(z.number().min(min, message).max(max, message));
}

/** A positive rate (may be fractional, e.g. 0.5 per second). */
function rate(max: number) {
  const message = `must be a number greater than 0 and at most ${max} (e.g. 20 or 0.5)`;
  return z
    .string()
    .regex(/^\d+(\.\d+)?$/, message)
    .transform(Number)
    .pipe(z.number().gt(0, message).max(max, message));
}

function seconds(min: number, { exclusiveMin }: { exclusiveMin: boolean }) {
  const range = `${exclusiveMin ? 'greater than' : 'at least'} ${min} and at most ${MAX_DURATION_SECONDS}`;
  const message = `must be a number of seconds ${range} (e.g. 30 or 0.5)`;
  const lower = exclusiveMin ? z.number().gt(min, message) : z.number().gte(min, message);
  return z
    .string()
    .regex(/^\d+(\.\d+)?$/, message)
    .transform(Number)
    .pipe(lower.max(MAX_DURATION_SECONDS, message));
}

function boolean() {
  return z.stringbool({
    truthy: ['true', '1'],
    falsy: ['false', '0'],
    case: 'insensitive',
    error: 'must be true, false, 1 or 0',
  });
}

function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z
    .string()
    .transform((v) => v.toLowerCase())
    .pipe(z.enum(values, { error: `must be one of ${values.join(', ')}` }));
}

/** Comma-separated list: entries trimmed, empty entries dropped, at least one entry required when set. */
function list(entry: z.ZodType<string, string>, what: string) {
  return z
    .string()
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== ''),
    )
    .pipe(z.array(entry).min(1, `must list at least one ${what} (comma-separated)`));
}

const VOICE_NAME = /^[a-z]{2,3}-[a-z0-9]+(-[a-z0-9]+)*(:[a-z0-9]+)?$/i;
const VOICE_NAME_MESSAGE = 'must be a voice name such as en-US-JennyNeural';

/**
 * `name=voice` pairs, comma-separated, e.g. `alloy=en-US-AvaNeural,nova=de-DE-KatjaNeural`: only the six OpenAI
 * voice names, each at most once, each mapped to a voice name. Only the pairs given; defaults are merged later.
 */
const openAiVoiceMap = z.string().transform((value, ctx) => {
  const map: Partial<Record<OpenAiVoiceName, string>> = {};
  const fail = (message: string) => {
    ctx.issues.push({ code: 'custom', message, input: value });
    return z.NEVER;
  };
  const entries = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (entries.length === 0) return fail('must list name=voice pairs (comma-separated)');
  for (const entry of entries) {
    const match = /^([^=\s]+)\s*=\s*(\S+)$/.exec(entry);
    if (!match)
      return fail(
        `must list name=voice pairs such as alloy=en-US-AvaNeural; ${JSON.stringify(entry)} is not one`,
      );
    const name = (match[1] ?? '').toLowerCase();
    const voice = match[2] ?? '';
    if (!(OPENAI_VOICE_NAMES as readonly string[]).includes(name)) {
      return fail(
        `knows only the OpenAI voices ${OPENAI_VOICE_NAMES.join(', ')}; ${JSON.stringify(match[1])} is not one`,
      );
    }
    const key = name as OpenAiVoiceName;
    if (map[key] !== undefined) return fail(`maps ${name} twice`);
    if (!VOICE_NAME.test(voice))
      return fail(
        `maps ${name} to ${JSON.stringify(voice)}, which is not a voice name such as en-US-JennyNeural`,
      );
    map[key] = voice;
  }
  return map;
});

/** `*` or a bare origin: scheme://host[:port], http or https, no path, no trailing slash. */
const corsOrigin = z.string().refine(
  (value) => {
    if (value === '*') return true;
    try {
      const url = new URL(value);
      return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value;
    } catch {
      return false;
    }
  },
  { error: 'must list origins like https://app.example.com (scheme://host[:port], no path) or *' },
);

export const envSchema = z.object({
  PORT: env(integer(0, 65535).default(3000)),

  /** One key for every upstream, or one per AZURE_SPEECH_REGION / _HOST / _ENDPOINT entry. */
  AZURE_SPEECH_KEY: env(list(z.string(), 'key').optional()),
  /** Upstreams in priority order: the first healthy one gets new clients. */
  AZURE_SPEECH_REGION: env(
    list(
      z
        .string()
        .transform((v) => v.toLowerCase())
        .pipe(z.string().regex(/^[a-z][a-z0-9]*$/, 'must be an Azure region name such as westeurope')),
      'region',
    ).optional(),
  ),
  AZURE_SPEECH_HOST: env(
    list(
      z.url({ protocol: /^(wss?|https?)$/, error: 'must be a ws://, wss://, http:// or https:// URL' }),
      'URL',
    ).optional(),
  ),
  AZURE_SPEECH_ENDPOINT: env(
    list(
      z.url({
        protocol: /^(wss|https)$/,
        error:
          "must be an https:// URL such as https://my-speech.cognitiveservices.azure.com (the resource's custom domain)",
      }),
      'URL',
    ).optional(),
  ),
  AZURE_SPEECH_AUTH: env(oneOf(SPEECH_AUTH_MODES).optional()),
  AZURE_SPEECH_RESOURCE_ID: env(
    z
      .string()
      .regex(
        /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.CognitiveServices\/accounts\/[^/]+$/i,
        'must be a Speech resource id: /subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.CognitiveServices/accounts/<name>',
      )
      .optional(),
  ),
  AZURE_SPEECH_TOKEN_REFRESH_SKEW: env(seconds(0, { exclusiveMin: false }).default(120)),
  AZURE_SPEECH_FAILOVER_THRESHOLD: env(integer(1, 1_000).default(3)),
  AZURE_SPEECH_FAILOVER_COOLDOWN: env(seconds(0, { exclusiveMin: true }).default(30)),
  HTTPS_PROXY: env(
    z
      .url({ protocol: /^https?$/, error: 'must be an http:// proxy URL such as http://proxy.corp:3128' })
      .optional(),
  ),
  NO_PROXY: env(list(z.string(), 'host').optional()),
  SPEECH_EMULATOR: env(oneOf(SPEECH_EMULATOR_MODES).default('auto')),

  // Warm size, warm max and max size have no schema defaults: their defaults follow the limits that were set
  // (see pool-sizes.ts), and messages must know whether a value was set or is a default.
  SPEECH_POOL_WARM_SIZE: env(integer(0, 10_000).optional()),
  SPEECH_POOL_TTS_WARM_SIZE: env(integer(0, 10_000).optional()),
  SPEECH_POOL_STT_WARM_SIZE: env(integer(0, 10_000).optional()),
  SPEECH_POOL_WARM_MAX: env(integer(0, 10_000).optional()),
  SPEECH_POOL_MAX_SIZE: env(integer(1, 10_000).optional()),
  SPEECH_POOL_TTS_MAX_SIZE: env(integer(1, 10_000).optional()),
  SPEECH_POOL_STT_MAX_SIZE: env(integer(1, 10_000).optional()),
  SPEECH_POOL_SESSION_AWARENESS: env(boolean().default(true)),
  SPEECH_POOL_WARMUP_INTERVAL: env(seconds(0, { exclusiveMin: true }).default(30)),
  SPEECH_POOL_SESSION_MAX_AGE: env(seconds(0, { exclusiveMin: true }).default(1800)),
  SPEECH_POOL_ACQUIRE_TIMEOUT: env(seconds(0, { exclusiveMin: true }).default(5)),
  SPEECH_POOL_MAX_IDLE: env(seconds(0, { exclusiveMin: true }).default(240)),
  SPEECH_POOL_TRIM_IDLE: env(seconds(0, { exclusiveMin: true }).default(60)),

  SPEECH_TTS_VOICE: env(z.string().regex(VOICE_NAME, VOICE_NAME_MESSAGE).default('en-US-JennyNeural')),
  SPEECH_STT_LANGUAGE: env(
    z
      .string()
      .regex(/^[a-z]{2,3}(-[a-z0-9]{2,8})*$/i, 'must be a BCP-47 language tag such as en-US')
      .default('en-US'),
  ),
  SPEECH_TTS_STALL_TIMEOUT: env(seconds(0, { exclusiveMin: true }).default(10)),
  SPEECH_TTS_MAX_AUDIO_DURATION: env(seconds(0, { exclusiveMin: true }).default(600)),
  /** MiB. */
  SPEECH_TTS_MAX_AUDIO_SIZE: env(integer(1, 4096).default(64)),

  VOICE_API_KEYS: env(
    list(
      z.string().min(MIN_API_KEY_LENGTH, `must list keys of at least ${MIN_API_KEY_LENGTH} characters each`),
      'key',
    ).optional(),
  ),
  CORS_ORIGINS: env(list(corsOrigin, 'origin').optional()),
  SESSION_RESUME_GRACE: env(seconds(0, { exclusiveMin: false }).default(15)),
  VOICE_REQUEST_RATE: env(rate(100_000).default(20)),
  VOICE_REQUEST_BURST: env(integer(1, 1_000_000).default(40)),
  VOICE_AUDIO_FRAME_RATE: env(rate(100_000).default(200)),
  VOICE_AUDIO_FRAME_BURST: env(integer(1, 1_000_000).default(400)),
  VOICE_MAX_QUEUED_SYNTHESES: env(integer(0, 10_000).default(8)),
  /** KiB. */
  VOICE_SEND_BUFFER_MAX: env(integer(1, 1_048_576).default(1024)),
  /** KiB. */
  VOICE_EARLY_AUDIO_MAX: env(integer(0, 1_048_576).default(256)),
  /** MiB. */
  VOICE_EARLY_AUDIO_TOTAL_MAX: env(integer(0, 65_536).default(32)),
  VOICE_STT_AUDIO_IDLE: env(seconds(0, { exclusiveMin: true }).default(10)),
  VOICE_DRAIN_TIMEOUT: env(seconds(0, { exclusiveMin: false }).default(10)),
  VOICE_TTS_STREAM_MAX_CHARS: env(integer(1, 1_000_000).default(20_000)),
  VOICE_TTS_STREAM_IDLE: env(seconds(0, { exclusiveMin: true }).default(30)),
  VOICE_TTS_STREAM_PIECE_RATE: env(rate(100_000).default(200)),
  VOICE_TTS_STREAM_PIECE_BURST: env(integer(1, 1_000_000).default(400)),
  VOICE_MAX_CONCURRENT_PER_KEY: env(integer(1, 100_000).default(16)),
  VOICE_MAX_SESSIONS_PER_KEY: env(integer(1, 1_000_000).default(256)),
  METRICS_PUBLIC: env(boolean().default(false)),
  SHUTDOWN_TIMEOUT: env(seconds(0, { exclusiveMin: true }).default(20)),

  /** MiB. */
  HTTP_MAX_UPLOAD: env(integer(1, 1024).default(25)),
  HTTP_BODY_IDLE: env(seconds(0, { exclusiveMin: true }).default(5)),
  /** MiB. */
  HTTP_UPLOAD_MEMORY: env(integer(0, 65_536).default(64)),
  /** MiB. */
  HTTP_UPLOAD_SPOOL: env(integer(0, 1_048_576).default(48)),
  OPENAI_VOICE_MAP: env(openAiVoiceMap.optional()),

  REDIS_URL: env(z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' }).optional()),
  SPEECH_FLEET_MAX_SIZE: env(integer(1, 100_000).optional()),
  SPEECH_FLEET_TTS_MAX_SIZE: env(integer(1, 100_000).optional()),
  SPEECH_FLEET_STT_MAX_SIZE: env(integer(1, 100_000).optional()),
  FLEET_REDIS_PREFIX: env(
    z
      .string()
      .regex(
        /^[A-Za-z0-9._:-]{1,64}$/,
        'must be 1 to 64 letters, digits, dots, dashes, underscores or colons',
      )
      .default('warmline:'),
  ),
  FLEET_LEASE_TTL: env(seconds(0, { exclusiveMin: true }).default(15)),
  REPLICA_ID: env(
    z
      .string()
      .regex(
        /^[A-Za-z0-9._:-]{1,128}$/,
        'must be 1 to 128 letters, digits, dots, dashes, underscores or colons',
      )
      .optional(),
  ),
  LOG_LEVEL: env(oneOf(PINO_LEVELS).optional()),
  LOG_FORMAT: env(oneOf(LOG_FORMATS).default('json')),
  DEBUG_ENDPOINTS: env(boolean().default(false)),
});

export type EnvVariable = keyof typeof envSchema.shape;
export type ParsedEnv = z.output<typeof envSchema>;

/** Every variable warmline reads, in schema order. */
export const ENV_VARIABLES = Object.keys(envSchema.shape) as EnvVariable[];

/** Values that must never be echoed back (REDIS_URL, AZURE_SPEECH_HOST and HTTPS_PROXY may carry credentials). */
export const SECRET_VARIABLES: ReadonlySet<EnvVariable> = new Set<EnvVariable>([
  'AZURE_SPEECH_KEY',
  'HTTPS_PROXY',
  'VOICE_API_KEYS',
  'REDIS_URL',
  'AZURE_SPEECH_HOST',
]);
