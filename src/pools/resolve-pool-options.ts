import { systemClock, type Clock } from './clock';
import type { CreationGate } from './creation-gate';
import type { PoolObserver } from './pool-observer';
import type { PoolUpstreamShare } from './pool-snapshot';
import type { WarmableResourcePoolOptions } from './pool-options';
import { defaultDestroy, defaultValidate } from './resource-defaults';

/** Options with every default filled in and every value checked. */
export interface ResolvedPoolOptions<T> {
  name: string;
  factory: () => Promise<T>;
  warmFn: ((resource: T) => Promise<boolean>) | null;
  destroy: (resource: T) => Promise<void> | void;
  validate: (resource: T) => boolean | Promise<boolean>;
  reusable: boolean;
  warmPoolSize: number;
  warmMaxSize: number;
  trimIdleMs: number;
  maxSize: number;
  enableBackgroundWarmup: boolean;
  warmupIntervalMs: number;
  sessionAwareness: boolean;
  sessionMaxAgeMs: number;
  maxIdleMs: number;
  acquireTimeoutMs: number;
  refillDelayMs: number;
  clock: Clock;
  observer: PoolObserver | null;
  backoffInitialMs: number;
  backoffMaxMs: number;
  backoffJitter: number;
  random: () => number;
  creationGate: CreationGate | null;
  upstreams: (() => PoolUpstreamShare[]) | null;
}

/**
 * Fills in defaults and rejects nonsense with one TypeError naming every bad option. `undefined` counts as
 * "not given", so callers can pass optional config straight through.
 */
export function resolvePoolOptions<T>(options: WarmableResourcePoolOptions<T>): ResolvedPoolOptions<T> {
  const problems: string[] = [];
  const check = (ok: boolean, problem: string): void => {
    if (!ok) problems.push(problem);
  };
  const isCount = (v: number): boolean => Number.isInteger(v) && v >= 0;
  const isPositiveDuration = (v: number, allowInfinity: boolean): boolean =>
    typeof v === 'number' && v > 0 && (allowInfinity ? !Number.isNaN(v) : Number.isFinite(v));

  const warmPoolSize = options.warmPoolSize ?? 0;
  const maxSize = options.maxSize ?? Infinity;
  const resolved: ResolvedPoolOptions<T> = {
    name: options.name,
    factory: options.factory,
    warmFn: options.warmFn ?? null,
    destroy: options.destroy ?? defaultDestroy,
    validate: options.validate ?? defaultValidate,
    reusable: options.reusable ?? true,
    warmPoolSize,
    // The default never fails validation: twice the warm size, as far as the cap allows.
    warmMaxSize: options.warmMaxSize ?? Math.max(warmPoolSize, Math.min(2 * warmPoolSize, maxSize)),
    trimIdleMs: options.trimIdleMs ?? 60_000,
    maxSize,
    enableBackgroundWarmup: options.enableBackgroundWarmup ?? false,
    warmupIntervalMs: options.warmupIntervalMs ?? 30_000,
    sessionAwareness: options.sessionAwareness ?? false,
    sessionMaxAgeMs: options.sessionMaxAgeMs ?? 1_800_000,
    maxIdleMs: options.maxIdleMs ?? Infinity,
    acquireTimeoutMs: options.acquireTimeoutMs ?? 5_000,
    refillDelayMs: options.refillDelayMs ?? 0,
    clock: options.clock ?? systemClock,
    observer: options.observer ?? null,
    backoffInitialMs: options.factoryBackoff?.initialMs ?? 1_000,
    backoffMaxMs: options.factoryBackoff?.maxMs ?? 60_000,
    backoffJitter: options.factoryBackoff?.jitter ?? 0.2,
    random: options.factoryBackoff?.random ?? Math.random,
    creationGate: options.creationGate ?? null,
    upstreams: options.upstreams ?? null,
  };

  check(typeof resolved.name === 'string' && resolved.name.length > 0, 'name must be a non-empty string');
  check(typeof resolved.factory === 'function', 'factory must be a function');
  for (const hook of ['warmFn', 'destroy', 'validate'] as const) {
    const fn = resolved[hook];
    check(fn === null || typeof fn === 'function', `${hook} must be a function`);
  }
  check(
    isCount(resolved.warmPoolSize),
    `warmPoolSize must be an integer >= 0 (got ${resolved.warmPoolSize})`,
  );
  check(
    resolved.maxSize === Infinity || (Number.isInteger(resolved.maxSize) && resolved.maxSize >= 1),
    `maxSize must be an integer >= 1 or Infinity (got ${resolved.maxSize})`,
  );
  check(
    !(resolved.warmPoolSize > resolved.maxSize),
    `warmPoolSize (${resolved.warmPoolSize}) must not exceed maxSize (${resolved.maxSize})`,
  );
  check(
    isCount(resolved.warmMaxSize) &&
      resolved.warmMaxSize >= resolved.warmPoolSize &&
      resolved.warmMaxSize <= resolved.maxSize,
    `warmMaxSize must be an integer within warmPoolSize (${resolved.warmPoolSize})..maxSize (${resolved.maxSize}) (got ${resolved.warmMaxSize})`,
  );
  check(isPositiveDuration(resolved.trimIdleMs, true), `trimIdleMs must be > 0 (got ${resolved.trimIdleMs})`);
  check(
    isPositiveDuration(resolved.warmupIntervalMs, false),
    `warmupIntervalMs must be a finite number > 0 (got ${resolved.warmupIntervalMs})`,
  );
  check(
    isPositiveDuration(resolved.sessionMaxAgeMs, true),
    `sessionMaxAgeMs must be > 0 (got ${resolved.sessionMaxAgeMs})`,
  );
  check(isPositiveDuration(resolved.maxIdleMs, true), `maxIdleMs must be > 0 (got ${resolved.maxIdleMs})`);
  check(
    typeof resolved.acquireTimeoutMs === 'number' && resolved.acquireTimeoutMs >= 0,
    `acquireTimeoutMs must be >= 0 (got ${resolved.acquireTimeoutMs})`,
  );
  check(
    Number.isFinite(resolved.refillDelayMs) && resolved.refillDelayMs >= 0,
    `refillDelayMs must be a finite number >= 0 (got ${resolved.refillDelayMs})`,
  );
  check(
    isPositiveDuration(resolved.backoffInitialMs, false),
    `factoryBackoff.initialMs must be a finite number > 0 (got ${resolved.backoffInitialMs})`,
  );
  check(
    isPositiveDuration(resolved.backoffMaxMs, false) && resolved.backoffMaxMs >= resolved.backoffInitialMs,
    `factoryBackoff.maxMs must be finite and >= initialMs (got ${resolved.backoffMaxMs})`,
  );
  check(
    resolved.backoffJitter >= 0 && resolved.backoffJitter <= 1,
    `factoryBackoff.jitter must be within 0..1 (got ${resolved.backoffJitter})`,
  );

  if (problems.length > 0) {
    throw new TypeError(`invalid options for pool "${String(options.name)}": ${problems.join('; ')}`);
  }
  return resolved;
}
