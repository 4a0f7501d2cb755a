import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

/** One Terminus entry: `status` plus the indicator's own fields. */
const indicator = (example: Record<string, unknown>): SchemaObject => ({
  type: 'object',
  additionalProperties: {
    type: 'object',
    required: ['status'],
    properties: { status: { type: 'string', enum: ['up', 'down'] } },
    additionalProperties: true,
  },
  example,
});

/** Terminus' response shape (status, info, error, details), with this service's entries as examples. */
function healthCheckSchema(
  status: 'ok' | 'error' | 'shutting_down',
  up: Record<string, unknown>,
  down: Record<string, unknown>,
): SchemaObject {
  return {
    type: 'object',
    required: ['status', 'details'],
    properties: {
      status: { type: 'string', enum: ['ok', 'error', 'shutting_down'], example: status },
      info: { ...indicator(up), nullable: true },
      error: { ...indicator(down), nullable: true },
      details: indicator({ ...up, ...down }),
    },
  };
}

const eventLoop = { status: 'up', windowMs: 10_000, limitMs: 2_000, p99Ms: 12.5, maxMs: 31.2 };
const heap = { status: 'up' };

export const LIVE_OK_SCHEMA = healthCheckSchema('ok', { event_loop: eventLoop, heap }, {});
export const LIVE_ERROR_SCHEMA = healthCheckSchema(
  'error',
  { heap },
  { event_loop: { ...eventLoop, status: 'down', p99Ms: 2_480.3, maxMs: 5_012.7 } },
);

const pool = {
  status: 'up',
  ready: true,
  warmPoolSize: 2,
  warmPoolTarget: 2,
  size: 3,
  maxSize: 64,
  inUse: 1,
  pendingAcquires: 0,
  factory: { consecutiveFailures: 0, backoffRemainingMs: 0, lastError: null },
};

export const READY_OK_SCHEMA = healthCheckSchema('ok', { tts: pool, stt: pool }, {});
export const READY_ERROR_SCHEMA = healthCheckSchema(
  'error',
  { tts: pool },
  {
    stt: {
      ...pool,
      status: 'down',
      ready: false,
      warmPoolSize: 0,
      size: 0,
      inUse: 0,
      factory: { consecutiveFailures: 3, backoffRemainingMs: 4_000, lastError: 'connect ECONNREFUSED' },
      reason: 'cannot create clients (3 failures in a row: connect ECONNREFUSED)',
    },
  },
);
