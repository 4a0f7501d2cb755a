import type { PoolSnapshot } from '../../pools/pool-snapshot';

/**
 * What the dashboard stream (Socket.IO namespace `/dashboard`) sends. Shared with the browser bundle, so it holds
 * types and constants only.
 */
export const DASHBOARD_NAMESPACE = '/dashboard';

/** Sent once on connect: the chart history so far, oldest first. */
export const DASHBOARD_HISTORY_EVENT = 'dashboard.history';
/** Sent every refresh interval (and once on connect, after the history). */
export const DASHBOARD_FRAME_EVENT = 'dashboard.frame';

/** Allocations per second by tier during one refresh interval. */
export interface TierRates {
  dedicated: number;
  warm: number;
  cold: number;
}

/** Time to the first audio byte of syntheses finished in the trailing window, all tiers, in ms. */
export interface FirstByteQuantiles {
  p50: number;
  p95: number;
  p99: number;
  /** Syntheses the quantiles describe. */
  count: number;
}

/** One chart sample. */
export interface DashboardPoint {
  /** Epoch ms. */
  at: number;
  allocations: Record<string, TierRates>;
  /** null when no synthesis reached its first byte in the window (or the voice gateway is not running). */
  firstByteMs: FirstByteQuantiles | null;
}

export interface DashboardHistory {
  points: DashboardPoint[];
  intervalMs: number;
  historyMs: number;
  latencyWindowMs: number;
}

/** One replica of the fleet, as `GET /api/v1/fleet` lists it. */
export interface DashboardFleetReplica {
  id: string;
  ready: boolean;
  lastSeenMs: number;
  sessions: number;
  pools: Record<string, PoolSnapshot>;
}

/** The fleet view: the same data as `GET /api/v1/fleet` answers. */
export interface DashboardFleet {
  replicas: DashboardFleetReplica[];
  /** Per pool: the fleet cap (null = none) and the leases taken across the fleet. */
  budget: Record<string, { max: number | null; leased: number }>;
  redis: 'ok' | 'degraded';
}

export interface DashboardFrame {
  point: DashboardPoint;
  /** The same objects as `GET /api/v1/pools` returns under `pools`. */
  pools: Record<string, PoolSnapshot>;
  intervalMs: number;
  /** Only in fleet mode (REDIS_URL set). */
  fleet?: DashboardFleet;
}
