import { SHUTDOWN_ROOM_SECONDS, type EnvVariable, type ParsedEnv } from './env.schema';
import type { ConfigProblem } from './config-validation-error';
import { poolSizesFailed, resolvePoolSizes, type PoolName, type SizeSetting } from './pool-sizes';

/**
 * A rule spanning several variables. `failed` holds the variables whose own schema rejected them: a rule skips
 * when a variable it depends on failed, so a bad value is reported once, by its own schema, and not again as a
 * confusing follow-up.
 */
type CrossFieldRule = (env: ParsedEnv, failed: ReadonlySet<EnvVariable>) => ConfigProblem[];

const anyFailed = (failed: ReadonlySet<EnvVariable>, ...vars: EnvVariable[]): boolean =>
  vars.some((v) => failed.has(v));

const azureVars: EnvVariable[] = [
  'AZURE_SPEECH_KEY',
  'AZURE_SPEECH_REGION',
  'AZURE_SPEECH_HOST',
  'AZURE_SPEECH_ENDPOINT',
  'AZURE_SPEECH_AUTH',
  'AZURE_SPEECH_RESOURCE_ID',
];

const isEntra = (env: ParsedEnv): boolean => env.AZURE_SPEECH_AUTH === 'entra';

const keyNeedsRegion: CrossFieldRule = (env, failed) => {
  if (anyFailed(failed, ...azureVars) || isEntra(env)) return [];
  if (env.AZURE_SPEECH_KEY === undefined || env.AZURE_SPEECH_REGION !== undefined) return [];
  if (env.AZURE_SPEECH_HOST !== undefined || env.AZURE_SPEECH_ENDPOINT !== undefined) return [];
  return [
    {
      variable: 'AZURE_SPEECH_KEY',
      message:
        'is set without AZURE_SPEECH_REGION; set the region for Azure, or AZURE_SPEECH_HOST for a Speech container or emulator',
    },
  ];
};

const regionNeedsKey: CrossFieldRule = (env, failed) => {
  if (anyFailed(failed, ...azureVars) || isEntra(env)) return [];
  if (env.AZURE_SPEECH_REGION === undefined || env.AZURE_SPEECH_KEY !== undefined) return [];
  if (env.AZURE_SPEECH_HOST !== undefined) return [];
  return [
    {
      variable: 'AZURE_SPEECH_REGION',
      message: 'is set without AZURE_SPEECH_KEY (or AZURE_SPEECH_AUTH=entra)',
    },
  ];
};

const endpointNeedsCredential: CrossFieldRule = (env, failed) => {
  if (anyFailed(failed, ...azureVars) || isEntra(env) || env.AZURE_SPEECH_HOST !== undefined) return [];
  if (env.AZURE_SPEECH_ENDPOINT === undefined || env.AZURE_SPEECH_KEY !== undefined) return [];
  return [
    {
      variable: 'AZURE_SPEECH_ENDPOINT',
      message: 'is set without AZURE_SPEECH_KEY or AZURE_SPEECH_AUTH=entra',
    },
  ];
};

/** Entra ID: a resource id, somewhere to connect, and no key (a key would be silently preferred by the SDK). */
const entraCombination: CrossFieldRule = (env, failed) => {
  if (anyFailed(failed, ...azureVars)) return [];
  const problems: ConfigProblem[] = [];
  if (isEntra(env)) {
    if (env.AZURE_SPEECH_RESOURCE_ID === undefined) {
      problems.push({
        variable: 'AZURE_SPEECH_AUTH',
        message: "is entra, which needs AZURE_SPEECH_RESOURCE_ID (the Speech resource's id)",
      });
    }
    const where = [env.AZURE_SPEECH_REGION, env.AZURE_SPEECH_ENDPOINT, env.AZURE_SPEECH_HOST];
    if (where.every((v) => v === undefined)) {
      problems.push({
        variable: 'AZURE_SPEECH_AUTH',
        message:
          'is entra, which needs AZURE_SPEECH_REGION, AZURE_SPEECH_ENDPOINT (custom domain) or AZURE_SPEECH_HOST',
      });
    }
    if (env.AZURE_SPEECH_KEY !== undefined) {
      problems.push({
        variable: 'AZURE_SPEECH_KEY',
        message: 'is set, but AZURE_SPEECH_AUTH=entra uses no key; unset one of them',
      });
    }
  } else {
    if (env.AZURE_SPEECH_AUTH === 'key' && env.AZURE_SPEECH_KEY === undefined) {
      problems.push({ variable: 'AZURE_SPEECH_AUTH', message: 'is key, but AZURE_SPEECH_KEY is not set' });
    }
    if (env.AZURE_SPEECH_RESOURCE_ID !== undefined) {
      problems.push({
        variable: 'AZURE_SPEECH_RESOURCE_ID',
        message: 'is only used with AZURE_SPEECH_AUTH=entra, which is not set',
      });
    }
  }
  return problems;
};

/** Several keys pair up with the upstreams in effect, one each. */
const keysMatchUpstreams: CrossFieldRule = (env, failed) => {
  if (anyFailed(failed, ...azureVars)) return [];
  const keys = env.AZURE_SPEECH_KEY?.length ?? 0;
  if (keys <= 1) return [];
  const [variable, entries] = upstreamList(env);
  if (variable === undefined || entries === keys) return [];
  return [
    {
      variable: 'AZURE_SPEECH_KEY',
      message: `lists ${keys} keys for ${entries} ${variable} entries; give one key for all, or one per entry`,
    },
  ];
};

/** The list that names the upstreams (host over endpoint over region, as validate-env resolves them). */
function upstreamList(env: ParsedEnv): [EnvVariable | undefined, number] {
  for (const variable of ['AZURE_SPEECH_HOST', 'AZURE_SPEECH_ENDPOINT', 'AZURE_SPEECH_REGION'] as const) {
    const list = env[variable];
    if (list !== undefined) return [variable, list.length];
  }
  return [undefined, 0];
}

const emulatorOffNeedsUpstream: CrossFieldRule = (env, failed) => {
  if (anyFailed(failed, 'SPEECH_EMULATOR', ...azureVars) || env.SPEECH_EMULATOR !== 'off') return [];
  const credential = env.AZURE_SPEECH_KEY !== undefined || isEntra(env);
  const azure =
    credential && (env.AZURE_SPEECH_REGION !== undefined || env.AZURE_SPEECH_ENDPOINT !== undefined);
  if (azure || env.AZURE_SPEECH_HOST !== undefined) return [];
  return [
    {
      variable: 'SPEECH_EMULATOR',
      message: 'is off, so AZURE_SPEECH_KEY with AZURE_SPEECH_REGION, or AZURE_SPEECH_HOST, is required',
    },
  ];
};

/** How a message names where a size came from: the variable, or that it is a default. */
function source(setting: SizeSetting, unsetVariables: string): string {
  return setting.variable ?? `the default, as neither ${unsetVariables} is set`;
}

/**
 * warm size <= warm max <= max size, for the values in effect for the pool. Defaults follow the limits that
 * were set (pool-sizes.ts), so a problem is always about a variable the operator set, and is reported on it.
 */
function poolSizesFit(pool: PoolName): CrossFieldRule {
  const upper = pool.toUpperCase();
  const maxVars = `SPEECH_POOL_${upper}_MAX_SIZE nor SPEECH_POOL_MAX_SIZE`;
  return (env, failed) => {
    if (poolSizesFailed(env, pool, failed)) return [];
    const { maxSize, warmSize, warmMax } = resolvePoolSizes(env, pool);
    const problems: ConfigProblem[] = [];
    if (warmSize.variable !== undefined && warmSize.value > maxSize.value) {
      problems.push({
        variable: warmSize.variable,
        message: `${pool} warm size ${warmSize.value} exceeds its max size ${maxSize.value} (${source(maxSize, maxVars)})`,
      });
    }
    if (warmMax.variable !== undefined) {
      if (warmSize.variable !== undefined && warmMax.value < warmSize.value) {
        problems.push({
          variable: warmMax.variable,
          message: `${warmMax.value} is below the ${pool} warm size ${warmSize.value} (${warmSize.variable})`,
        });
      }
      if (warmMax.value > maxSize.value) {
        problems.push({
          variable: warmMax.variable,
          message: `${warmMax.value} exceeds the ${pool} max size ${maxSize.value} (${source(maxSize, maxVars)})`,
        });
      }
    }
    return problems;
  };
}

const FLEET_SETTINGS: EnvVariable[] = [
  'SPEECH_FLEET_MAX_SIZE',
  'SPEECH_FLEET_TTS_MAX_SIZE',
  'SPEECH_FLEET_STT_MAX_SIZE',
  'REPLICA_ID',
];

/** A fleet cap without REDIS_URL would be silently ignored: each replica would only keep its own cap. */
const fleetSettingsNeedRedis: CrossFieldRule = (env, failed) => {
  if (failed.has('REDIS_URL') || env.REDIS_URL !== undefined) return [];
  return FLEET_SETTINGS.filter((v) => !failed.has(v) && env[v] !== undefined).map((variable) => ({
    variable,
    message: 'is a fleet mode setting and needs REDIS_URL (unset, each replica keeps only its own caps)',
  }));
};

/** The hard exit deadline must leave the drain, and stopping what outlasted it, their time. */
const shutdownOutlastsDrain: CrossFieldRule = (env, failed) => {
  if (anyFailed(failed, 'SHUTDOWN_TIMEOUT', 'VOICE_DRAIN_TIMEOUT')) return [];
  const least = env.VOICE_DRAIN_TIMEOUT + SHUTDOWN_ROOM_SECONDS;
  if (env.SHUTDOWN_TIMEOUT >= least) return [];
  return [
    {
      variable: 'SHUTDOWN_TIMEOUT',
      message: `must be at least VOICE_DRAIN_TIMEOUT + ${SHUTDOWN_ROOM_SECONDS} s (${least} s), so that the drain can finish before the deadline`,
    },
  ];
};

export const CROSS_FIELD_RULES: readonly CrossFieldRule[] = [
  keyNeedsRegion,
  regionNeedsKey,
  endpointNeedsCredential,
  entraCombination,
  keysMatchUpstreams,
  emulatorOffNeedsUpstream,
  poolSizesFit('tts'),
  poolSizesFit('stt'),
  fleetSettingsNeedRedis,
  shutdownOutlastsDrain,
];
