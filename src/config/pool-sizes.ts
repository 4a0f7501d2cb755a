import type { EnvVariable, ParsedEnv } from './env.schema';

export type PoolName = 'tts' | 'stt';

export const DEFAULT_MAX_SIZE = 64;
export const DEFAULT_WARM_SIZE = 2;

/** A size in effect for one pool, and the variable it came from (`undefined`: a default). */
export interface SizeSetting {
  value: number;
  variable: EnvVariable | undefined;
}

export interface ResolvedPoolSizes {
  maxSize: SizeSetting;
  warmSize: SizeSetting;
  warmMax: SizeSetting;
}

/** The pool's own override, else the global variable, else `fallback`. */
function pick(env: ParsedEnv, override: EnvVariable, global: EnvVariable, fallback: number): SizeSetting {
  for (const variable of [override, global]) {
    const value = env[variable];
    if (typeof value === 'number') return { value, variable };
  }
  return { value: fallback, variable: undefined };
}

/**
 * A pool's sizes. Defaults follow the limits that were set, so setting one limit never makes another variable's
 * default invalid: the warm size defaults to min(2, max size, SPEECH_POOL_WARM_MAX), the warm max to
 * min(2 x warm size, max size).
 */
export function resolvePoolSizes(env: ParsedEnv, pool: PoolName): ResolvedPoolSizes {
  const upper = pool === 'tts' ? 'TTS' : 'STT';
  const maxSize = pick(env, `SPEECH_POOL_${upper}_MAX_SIZE`, 'SPEECH_POOL_MAX_SIZE', DEFAULT_MAX_SIZE);
  const setWarmMax = env.SPEECH_POOL_WARM_MAX;
  const warmSize = pick(
    env,
    `SPEECH_POOL_${upper}_WARM_SIZE`,
    'SPEECH_POOL_WARM_SIZE',
    Math.min(DEFAULT_WARM_SIZE, maxSize.value, setWarmMax ?? Infinity),
  );
  const warmMax: SizeSetting =
    setWarmMax === undefined
      ? { value: Math.min(2 * warmSize.value, maxSize.value), variable: undefined }
      : { value: setWarmMax, variable: 'SPEECH_POOL_WARM_MAX' };
  return { maxSize, warmSize, warmMax };
}

/**
 * Whether a variable that would decide one of the pool's sizes failed its own validation (a failed variable is
 * missing from `env`, so the sizes would silently fall back to a default). A global variable the pool's own
 * override replaces does not count.
 */
export function poolSizesFailed(env: ParsedEnv, pool: PoolName, failed: ReadonlySet<EnvVariable>): boolean {
  const upper = pool === 'tts' ? 'TTS' : 'STT';
  const chainFailed = (override: EnvVariable, global: EnvVariable): boolean =>
    failed.has(override) || (env[override] === undefined && failed.has(global));
  return (
    chainFailed(`SPEECH_POOL_${upper}_MAX_SIZE`, 'SPEECH_POOL_MAX_SIZE') ||
    chainFailed(`SPEECH_POOL_${upper}_WARM_SIZE`, 'SPEECH_POOL_WARM_SIZE') ||
    failed.has('SPEECH_POOL_WARM_MAX')
  );
}
