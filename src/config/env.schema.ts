import { z } from 'zod';

/**
 * One zod schema per environment variable of CONTRACT §2, keyed by the variable's name so that every issue can be
 * reported against the variable that caused it. Values arrive as strings (or undefined); a blank value counts as
 * unset, so `VAR=` in a .env file means "use the default".
 *
 * Messages are written for operators and never contain the value: `validateEnv` adds the received value itself,
 * and only for variables that are not secret (see SECRET_VARIABLES).
 */

/** Node timers overflow above 2^31-1 ms (about 24.8 days); every duration must fit in one. */
export const MAX_DURATION_SECONDS = 2_147_483;
export const PINO_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof PINO_LEVELS)[number];
export const SPEECH_EMULATOR_MODES = ['auto', 'on', 'off'] as const;
export type SpeechEmulatorMode = (typeof SPEECH_EMULATOR_MODES)[number];

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

  AZURE_SPEECH_KEY: env(z.string().optional()),
  AZURE_SPEECH_REGION: env(
    z
      .string()
      .transform((v) => v.toLowerCase())
      .pipe(z.string().regex(/^[a-z][a-z0-9]*$/, 'must be an Azure region name such as westeurope'))
      .optional(),
  ),
  AZURE_SPEECH_HOST: env(
    z
      .url({ protocol: /^(wss?|https?)$/, error: 'must be a ws://, wss://, http:// or https:// URL' })
      .optional(),
  ),
  SPEECH_EMULATOR: env(oneOf(SPEECH_EMULATOR_MODES).default('auto')),

  SPEECH_POOL_WARM_SIZE: env(integer(0, 10_000).default(2)),
  SPEECH_POOL_TTS_WARM_SIZE: env(integer(0, 10_000).optional()),
  SPEECH_POOL_STT_WARM_SIZE: env(integer(0, 10_000).optional()),
  SPEECH_POOL_MAX_SIZE: env(integer(1, 10_000).default(64)),
  SPEECH_POOL_TTS_MAX_SIZE: env(integer(1, 10_000).optional()),
  SPEECH_POOL_STT_MAX_SIZE: env(integer(1, 10_000).optional()),
  SPEECH_POOL_SESSION_AWARENESS: env(boolean().default(true)),
  SPEECH_POOL_WARMUP_INTERVAL: env(seconds(0, { exclusiveMin: true }).default(30)),
  SPEECH_POOL_SESSION_MAX_AGE: env(seconds(0, { exclusiveMin: true }).default(1800)),
  SPEECH_POOL_ACQUIRE_TIMEOUT: env(seconds(0, { exclusiveMin: true }).default(5)),
  SPEECH_POOL_MAX_IDLE: env(seconds(0, { exclusiveMin: true }).default(240)),

  SPEECH_TTS_VOICE: env(
    z
      .string()
      .regex(
        /^[a-z]{2,3}-[a-z0-9]+(-[a-z0-9]+)*(:[a-z0-9]+)?$/i,
        'must be a voice name such as en-US-JennyNeural',
      )
      .default('en-US-JennyNeural'),
  ),
  SPEECH_STT_LANGUAGE: env(
    z
      .string()
      .regex(/^[a-z]{2,3}(-[a-z0-9]{2,8})*$/i, 'must be a BCP-47 language tag such as en-US')
      .default('en-US'),
  ),

  VOICE_API_KEYS: env(list(z.string(), 'key').optional()),
  CORS_ORIGINS: env(list(corsOrigin, 'origin').optional()),
  SESSION_RESUME_GRACE: env(seconds(0, { exclusiveMin: false }).default(15)),

  REDIS_URL: env(z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' }).optional()),
  LOG_LEVEL: env(oneOf(PINO_LEVELS).optional()),
  DEBUG_ENDPOINTS: env(boolean().default(false)),
});

export type EnvVariable = keyof typeof envSchema.shape;
export type ParsedEnv = z.output<typeof envSchema>;

/** Every variable of CONTRACT §2, in schema order. */
export const ENV_VARIABLES = Object.keys(envSchema.shape) as EnvVariable[];

/** Values that must never be echoed back (REDIS_URL and AZURE_SPEECH_HOST may carry credentials). */
export const SECRET_VARIABLES: ReadonlySet<EnvVariable> = new Set<EnvVariable>([
  'AZURE_SPEECH_KEY',
  'VOICE_API_KEYS',
  'REDIS_URL',
  'AZURE_SPEECH_HOST',
]);
