import { AllocationTier } from '../pools/allocation-tier';
import type { PoolEvent } from '../pools/pool-observer';
import { createPoolEventLogger } from './pool-event-logger';
import { createRootLogger } from './root-logger';

interface Line {
  level: string;
  msg: string;
  [field: string]: unknown;
}

function capture(level: 'debug' | 'info' = 'debug') {
  const lines: Line[] = [];
  const logger = createRootLogger(level, { write: (s: string) => void lines.push(JSON.parse(s) as Line) });
  return { lines, logger };
}

describe('createPoolEventLogger', () => {
  it('logs tier allocations at DEBUG in the seed format, with a prefix of the session id only', () => {
    const { lines, logger } = capture('debug');
    const observer = createPoolEventLogger('tts', logger);
    observer.allocated?.(AllocationTier.WARM, 0.2345, '0b6f5e2c-58c4-4c8e-9d51-3f0c1c7a9e11');
    observer.allocated?.(AllocationTier.COLD, 201.5, null);
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'debug',
        msg: 'pool=tts tier=warm latencyMs=0.23 session=0b6f5e2c…',
        pool: 'tts',
        tier: 'warm',
        latencyMs: 0.23,
        session: '0b6f5e2c…',
      }),
      expect.objectContaining({ level: 'debug', msg: 'pool=tts tier=cold latencyMs=201.5 session=-' }),
    ]);
  });

  it('writes no allocation lines above DEBUG', () => {
    const { lines, logger } = capture('info');
    const debug = jest.spyOn(logger, 'debug');
    createPoolEventLogger('stt', logger).allocated?.(AllocationTier.DEDICATED, 0.1, 's');
    expect(lines).toEqual([]);
    expect(debug).not.toHaveBeenCalled();
  });

  it.each<[PoolEvent, string, RegExp, Record<string, unknown>]>([
    [
      {
        kind: 'factory-failed',
        error: new Error('connect ECONNREFUSED'),
        consecutiveFailures: 3,
        backoffMs: 4000,
      },
      'warn',
      /^pool=stt factory failed \(3 in a row\); next attempt in 4000 ms$/,
      {
        consecutiveFailures: 3,
        backoffMs: 4000,
        err: expect.objectContaining({ message: 'connect ECONNREFUSED' }),
      },
    ],
    [
      { kind: 'factory-recovered', afterFailures: 3 },
      'info',
      /recovered after 3 failures/,
      { afterFailures: 3 },
    ],
    [{ kind: 'warmup-failed', error: 'no audio' }, 'warn', /warm-up failed/, { err: 'no audio' }],
    [
      { kind: 'acquire-timeout', waitedMs: 5000.4 },
      'warn',
      /acquire timed out after 5000 ms/,
      { waitedMs: 5000.4 },
    ],
    [
      { kind: 'session-evicted', sessionId: 'abc', idleMs: 1_800_000, reason: 'idle' },
      'info',
      /evicted idle session abc after 1800000 ms \(idle\)/,
      { session: 'abc', reason: 'idle' },
    ],
    [
      { kind: 'resource-replaced', reason: 'invalid' },
      'info',
      /replaced a resource \(invalid\)/,
      { reason: 'invalid' },
    ],
    [
      { kind: 'resource-replaced', reason: 'idle' },
      'debug',
      /replaced a resource \(idle\)/,
      { reason: 'idle' },
    ],
    [{ kind: 'destroy-failed', error: new Error('x') }, 'warn', /destroying a resource failed/, {}],
  ])('logs %j at the right level', (event, level, message, fields) => {
    const { lines, logger } = capture('debug');
    createPoolEventLogger('stt', logger).event?.(event);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level, pool: 'stt', event: event.kind, ...fields });
    expect(lines[0]?.msg).toMatch(message);
  });

  it('never throws into the pool, even when the logger does', () => {
    const throwing = () => {
      throw new Error('disk full');
    };
    const observer = createPoolEventLogger('tts', { debug: throwing, info: throwing, warn: throwing });
    expect(() => observer.allocated?.(AllocationTier.WARM, 1, null)).not.toThrow();
    expect(() => observer.event?.({ kind: 'warmup-failed', error: new Error('x') })).not.toThrow();
  });
});
