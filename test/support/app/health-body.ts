/** One entry of a health answer: `status`, plus the indicator's own fields (a pool's are from its snapshot). */
export interface HealthEntry {
  status: 'up' | 'down';
  reason?: string;
  factory?: { consecutiveFailures: number; backoffRemainingMs: number; lastError: string | null };
  [field: string]: unknown;
}

/** The body of GET /health/live and /health/ready (Terminus' shape). */
export interface HealthBody {
  status: 'ok' | 'error' | 'shutting_down';
  info?: Record<string, HealthEntry>;
  error?: Record<string, HealthEntry>;
  details: Record<string, HealthEntry>;
}
