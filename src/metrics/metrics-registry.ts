import { Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The application's prom-client `Registry` (one per application instance, never the global one, so tests can
 * run several apps). Inject it to add metrics elsewhere (the voice gateway):
 *   `new Counter({ name: 'warmline_voice_...', help, registers: [registry] })`.
 */
export const METRICS_REGISTRY = Symbol('METRICS_REGISTRY');

/**
 * prom-client's default gauges that are named like counters (`promtool check metrics`: "non-counter metrics
 * should not have _total suffix"). Each is the sum of its per-type sibling (`nodejs_active_handles{type}` etc.),
 * so `sum(nodejs_active_handles)` gives the same number and nothing is lost by leaving them out.
 */
export const DROPPED_DEFAULT_METRICS = [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
] as const;

/** A registry with Node's default process metrics, unprefixed (`process_*`, `nodejs_*`) as dashboards expect. */
export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  for (const name of DROPPED_DEFAULT_METRICS) registry.removeSingleMetric(name);
  return registry;
}
