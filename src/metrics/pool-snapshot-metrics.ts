import { Inject, Injectable } from '@nestjs/common';
import { Counter, Gauge, type Registry } from 'prom-client';
import { POOL_REGISTRY, type PoolRegistry } from '../speech-pools/pool-tokens';
import type { PoolMetrics, PoolSnapshot } from '../pools/pool-snapshot';
import { METRICS_REGISTRY } from './metrics-registry';
import { ScrapeSnapshots } from './scrape-snapshots';

const GAUGES: ReadonlyArray<[name: string, help: string, read: (s: PoolSnapshot) => number]> = [
  ['warmline_pool_warm_size', 'Idle pre-connected clients in the warm queue', (s) => s.warmPoolSize],
  ['warmline_pool_warm_target', 'Warm clients the pool keeps ready', (s) => s.warmPoolTarget],
  ['warmline_pool_warm_max', 'Released clients kept warm up to this many', (s) => s.warmPoolMax],
  ['warmline_pool_max_size', 'Cap on live clients (+Inf when uncapped)', (s) => s.maxSize ?? Infinity],
  ['warmline_pool_size', 'Live clients: idle, session-bound, in use and being created', (s) => s.size],
  ['warmline_pool_in_use', 'Clients handed out', (s) => s.inUse],
  ['warmline_pool_active_sessions', 'Sessions holding a cached (dedicated) client', (s) => s.activeSessions],
  ['warmline_pool_pending_acquires', 'Acquires waiting for a client at the cap', (s) => s.pendingAcquires],
  [
    'warmline_pool_ready',
    '1 when the pool is prepared, open and not in factory backoff',
    (s) => (s.ready ? 1 : 0),
  ],
  [
    'warmline_pool_factory_consecutive_failures',
    'Factory failures since the last success',
    (s) => s.factory.consecutiveFailures,
  ],
];

/** The lifetime counters of a snapshot (hitRate is a ratio, timestamp a time). */
type CounterField = Exclude<keyof PoolMetrics, 'hitRate' | 'timestamp'>;

const COUNTERS: ReadonlyArray<[name: string, help: string, field: CounterField]> = [
  ['warmline_pool_factory_failures_total', 'Client creations that failed', 'factoryFailures'],
  ['warmline_pool_warmup_failures_total', 'Warm-ups that failed (the client stays usable)', 'warmupFailures'],
  ['warmline_pool_warmup_cycles_total', 'Background maintenance cycles run', 'warmupCycles'],
  ['warmline_pool_acquire_timeouts_total', 'Acquires that gave up waiting at the cap', 'acquireTimeouts'],
  ['warmline_pool_resources_created_total', 'Clients created', 'resourcesCreated'],
  ['warmline_pool_resources_destroyed_total', 'Clients destroyed', 'resourcesDestroyed'],
  [
    'warmline_pool_resources_trimmed_total',
    'Warm clients above the warm size closed after staying unused (included in destroyed)',
    'resourcesTrimmed',
  ],
  [
    'warmline_pool_stale_sessions_evicted_total',
    'Idle sessions whose clients were reclaimed',
    'staleSessionsEvicted',
  ],
];

const TIERS = [
  ['dedicated', 'allocationsDedicated'],
  ['warm', 'allocationsWarm'],
  ['cold', 'allocationsCold'],
] as const;

/**
 * Per-pool gauges and counters, read from the pools' snapshots at scrape time (label `pool`; allocations also by
 * `tier`, clients and circuits also by `upstream`). The counters are real Prometheus counters whose value is the pool's own lifetime total: each scrape
 * resets them and sets the total, which only grows while the pool lives (it starts again at 0 with a new
 * process, which Prometheus treats as a counter reset).
 */
@Injectable()
export class PoolSnapshotMetrics {
  constructor(@Inject(METRICS_REGISTRY) registry: Registry, @Inject(POOL_REGISTRY) pools: PoolRegistry) {
    const snapshots = new ScrapeSnapshots(pools);
    const registers = [registry];

    for (const [name, help, read] of GAUGES) {
      new Gauge({
        name,
        help,
        labelNames: ['pool'],
        registers,
        collect() {
          this.reset();
          for (const [pool, snapshot] of snapshots.current()) this.set({ pool }, read(snapshot));
        },
      });
    }

    for (const [name, help, field] of COUNTERS) {
      new Counter({
        name,
        help,
        labelNames: ['pool'],
        registers,
        collect() {
          this.reset();
          for (const [pool, snapshot] of snapshots.current()) this.inc({ pool }, snapshot.metrics[field]);
        },
      });
    }

    // Several upstreams: where each pool's clients live, and which upstreams new clients skip.
    new Gauge({
      name: 'warmline_pool_upstream_clients',
      help: 'Live clients by the upstream they connect to (region or host)',
      labelNames: ['pool', 'upstream'],
      registers,
      collect() {
        this.reset();
        for (const [pool, snapshot] of snapshots.current()) {
          for (const upstream of snapshot.upstreams ?? [])
            this.set({ pool, upstream: upstream.name }, upstream.resources);
        }
      },
    });
    new Gauge({
      name: 'warmline_pool_upstream_circuit_open',
      help: '1 while new clients skip the upstream after repeated refusals (open or half-open), else 0',
      labelNames: ['pool', 'upstream'],
      registers,
      collect() {
        this.reset();
        for (const [pool, snapshot] of snapshots.current()) {
          for (const upstream of snapshot.upstreams ?? []) {
            this.set({ pool, upstream: upstream.name }, upstream.circuit === 'closed' ? 0 : 1);
          }
        }
      },
    });

    new Counter({
      name: 'warmline_pool_allocations_total',
      help: 'Clients handed out, by the tier they came from',
      labelNames: ['pool', 'tier'],
      registers,
      collect() {
        this.reset();
        for (const [pool, snapshot] of snapshots.current()) {
          for (const [tier, field] of TIERS) this.inc({ pool, tier }, snapshot.metrics[field]);
        }
      },
    });
  }
}
