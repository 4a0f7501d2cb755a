/** The pool library: no NestJS imports, usable on its own. */
export { AllocationTier } from './allocation-tier';
export { systemClock, type Clock, type ClockTimer } from './clock';
export { OnDemandResourcePool } from './on-demand-resource-pool';
export { PoolClosedError, PoolSessionReleasedError, PoolTimeoutError } from './pool-errors';
export type { PoolEvent, PoolObserver, SessionEvictionReason } from './pool-observer';
export type {
  FactoryBackoffOptions,
  OnDemandResourcePoolOptions,
  WarmableResourcePoolOptions,
} from './pool-options';
export type { PoolMetrics, PoolSnapshot } from './pool-snapshot';
export type { AcquireOptions, ResourcePool, SessionAllocation } from './resource-pool';
export { WarmableResourcePool } from './warmable-resource-pool';
