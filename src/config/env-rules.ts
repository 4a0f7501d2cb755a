import type { EnvVariable, ParsedEnv } from './env.schema';
import type { ConfigProblem } from './config-validation-error';

/**
 * A rule spanning several variables. `failed` holds the variables whose own schema rejected them: a rule skips
 * when a variable it depends on failed, so a bad value is reported once, by its own schema, and not again as a
 * confusing follow-up.
 */
type CrossFieldRule = (env: ParsedEnv, failed: ReadonlySet<EnvVariable>) => ConfigProblem[];

const anyFailed = (failed: ReadonlySet<EnvVariable>, ...vars: EnvVariable[]): boolean =>
  vars.some((v) => failed.has(v));

const azureVars: EnvVariable[] = ['AZURE_SPEECH_KEY', 'AZURE_SPEECH_REGION', 'AZURE_SPEECH_HOST'];

const keyNeedsRegion: CrossFieldRule = (env, failed) => {
  if (anyFailed(failed, ...azureVars)) return [];
  if (env.AZURE_SPEECH_KEY === undefined || env.AZURE_SPEECH_REGION !== undefined) return [];
  if (env.AZURE_SPEECH_HOST !== undefined) return [];
  return [
    {
      variable: 'AZURE_SPEECH_KEY',
      message:
        'is set without AZURE_SPEECH_REGION; set the region for Azure, or AZURE_SPEECH_HOST for a Speech container or emulator',
    },
  ];
};

const regionNeedsKey: CrossFieldRule = (env, failed) => {
  if (anyFailed(failed, ...azureVars)) return [];
  if (env.AZURE_SPEECH_REGION === undefined || env.AZURE_SPEECH_KEY !== undefined) return [];
  if (env.AZURE_SPEECH_HOST !== undefined) return [];
  return [{ variable: 'AZURE_SPEECH_REGION', message: 'is set without AZURE_SPEECH_KEY' }];
};

const emulatorOffNeedsUpstream: CrossFieldRule = (env, failed) => {
  if (anyFailed(failed, 'SPEECH_EMULATOR', ...azureVars) || env.SPEECH_EMULATOR !== 'off') return [];
  const azure = env.AZURE_SPEECH_KEY !== undefined && env.AZURE_SPEECH_REGION !== undefined;
  if (azure || env.AZURE_SPEECH_HOST !== undefined) return [];
  return [
    {
      variable: 'SPEECH_EMULATOR',
      message: 'is off, so AZURE_SPEECH_KEY with AZURE_SPEECH_REGION, or AZURE_SPEECH_HOST, is required',
    },
  ];
};

/** Warm size <= max size, checked on the variables in effect for the pool (its override, else the global one). */
function warmFitsMax(pool: 'TTS' | 'STT'): CrossFieldRule {
  const warmOverride = `SPEECH_POOL_${pool}_WARM_SIZE` as const;
  const maxOverride = `SPEECH_POOL_${pool}_MAX_SIZE` as const;
  return (env, failed) => {
    const inEffect = (override: EnvVariable, global: EnvVariable): EnvVariable =>
      failed.has(override) || env[override] !== undefined ? override : global;
    const warmVar = inEffect(warmOverride, 'SPEECH_POOL_WARM_SIZE');
    const maxVar = inEffect(maxOverride, 'SPEECH_POOL_MAX_SIZE');
    if (anyFailed(failed, warmVar, maxVar)) return [];
    const warm = Number(env[warmVar]);
    const max = Number(env[maxVar]);
    if (warm <= max) return [];
    return [
      {
        variable: warmVar,
        message: `${pool.toLowerCase()} warm size ${warm} exceeds its max size ${max} (${maxVar})`,
      },
    ];
  };
}

/**
 * Fleet mode (shared sessions and a fleet-wide connection cap over Redis) is not built. Accepting REDIS_URL and
 * running as independent replicas would silently break what the operator asked for, so it stops start-up instead.
 */
const fleetModeUnavailable: CrossFieldRule = (env, failed) => {
  if (failed.has('REDIS_URL') || env.REDIS_URL === undefined) return [];
  return [
    {
      variable: 'REDIS_URL',
      message:
        'fleet mode is not available in this version; unset REDIS_URL and run replicas independently, with ' +
        'replicas x SPEECH_POOL_*_MAX_SIZE under the upstream connection limit',
    },
  ];
};

export const CROSS_FIELD_RULES: readonly CrossFieldRule[] = [
  keyNeedsRegion,
  regionNeedsKey,
  emulatorOffNeedsUpstream,
  warmFitsMax('TTS'),
  warmFitsMax('STT'),
  fleetModeUnavailable,
];
