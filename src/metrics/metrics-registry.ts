import { Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The application's prom-client `Registry` (one per application instance, never the global one, so tests can
 * run several apps). Inject it to add metrics elsewhere (the voice gateway):
 *   `new Counter({ name: 'warmline_voice_...', help, registers: [registry] })`.
 */
export const METRICS_REGISTRY = Symbol('METRICS_REGISTRY');

/** A registry with Node's default process metrics, unprefixed (`process_*`, `nodejs_*`) as dashboards expect. */
export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}
