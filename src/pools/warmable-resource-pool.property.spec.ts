import fc from 'fast-check';
import { AllocationTier } from './allocation-tier';
import { PoolClosedError, PoolSessionReleasedError, PoolTimeoutError } from './pool-errors';
import type { PoolEvent } from './pool-observer';
import type { SessionAllocation } from './resource-pool';
import { FakeClock, flushPromises } from '../../test/support/pools/fake-clock';
import { FakeFactory, type FakeResource } from '../../test/support/pools/fake-resources';
import { WarmableResourcePool } from './warmable-resource-pool';

/*
 * Random interleavings of everything a pool can be asked or can suffer, with invariants checked after every
 * step against the pool's snapshot and against what the test itself handed out and got back.
 */

const SESSION_IDS = ['a', 'b', 'c', null] as const;
type SessionId = (typeof SESSION_IDS)[number];

type Command =
  | { kind: 'acquire'; timeoutMs: number | undefined; abortable: boolean }
  | { kind: 'acquireForSession'; sessionId: SessionId; abortable: boolean }
  | { kind: 'release'; pick: number }
  | { kind: 'releaseForSession'; sessionId: SessionId; passResource: boolean }
  | { kind: 'sessionIdle'; sessionId: SessionId }
  | { kind: 'trimIdle'; count: number }
  | { kind: 'releaseStale'; pick: number }
  | { kind: 'abort'; pick: number }
  | { kind: 'settleFactory'; ok: boolean }
  | { kind: 'invalidate'; pick: number }
  | { kind: 'breakSessionClient'; sessionId: SessionId }
  | { kind: 'advance'; ms: number }
  | { kind: 'maintain' }
  | { kind: 'shutdown' };

const commandArb: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('acquire' as const),
      timeoutMs: fc.option(fc.integer({ min: 0, max: 60 }), { nil: undefined }),
      abortable: fc.boolean(),
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('acquireForSession' as const),
      sessionId: fc.constantFrom(...SESSION_IDS),
      abortable: fc.boolean(),
    }),
  },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('release' as const), pick: fc.nat() }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('releaseForSession' as const),
      sessionId: fc.constantFrom(...SESSION_IDS),
      passResource: fc.boolean(),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('sessionIdle' as const),
      sessionId: fc.constantFrom(...SESSION_IDS),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('trimIdle' as const), count: fc.integer({ min: 0, max: 3 }) }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('releaseStale' as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('abort' as const), pick: fc.nat() }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('settleFactory' as const), ok: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('invalidate' as const), pick: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('breakSessionClient' as const),
      sessionId: fc.constantFrom(...SESSION_IDS),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 80 }) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('maintain' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('shutdown' as const) }) },
);

/**
 * Session churn: sessions come, reuse, go idle, break and leave, the factory mostly works, maintenance trims.
 * Weighted so that a session's cached client is often asked for again (the DEDICATED path and its validation) and
 * often idle when the pool is at its cap (reclaim and hand-over).
 */
const sessionChurnArb: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant('acquireForSession' as const),
      sessionId: fc.constantFrom('a', 'b', 'c'),
      abortable: fc.boolean(),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('releaseForSession' as const),
      sessionId: fc.constantFrom('a', 'b', 'c'),
      passResource: fc.constant(false),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('breakSessionClient' as const),
      sessionId: fc.constantFrom('a', 'b', 'c'),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('sessionIdle' as const),
      sessionId: fc.constantFrom('a', 'b', 'c'),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('trimIdle' as const), count: fc.integer({ min: 0, max: 2 }) }),
  },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('settleFactory' as const), ok: fc.constant(true) }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('settleFactory' as const), ok: fc.constant(false) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('abort' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('invalidate' as const), pick: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 40 }) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('maintain' as const) }) },
);

const configArb = fc
  .record({
    warmPoolSize: fc.integer({ min: 0, max: 3 }),
    extraCapacity: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
    /** Released resources kept warm above the warm size (capped by maxSize); undefined = the default. */
    warmExtra: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
    trimIdleMs: fc.integer({ min: 10, max: 100 }),
    reusable: fc.boolean(),
    sessionAwareness: fc.boolean(),
    acquireTimeoutMs: fc.integer({ min: 0, max: 60 }),
    maxIdleMs: fc.option(fc.integer({ min: 10, max: 100 }), { nil: undefined }),
    sessionMaxAgeMs: fc.integer({ min: 10, max: 150 }),
    warmFails: fc.boolean(),
    /** validate() and destroy() answering through promises exercise the pool's async paths. */
    asyncHooks: fc.boolean(),
  })
  .filter((c) => c.warmPoolSize + (c.extraCapacity ?? 1) > 0);

type Config = typeof configArb extends fc.Arbitrary<infer C> ? C : never;

const EXPECTED_ERRORS = [PoolTimeoutError, PoolClosedError, PoolSessionReleasedError];

function isExpectedError(error: unknown): boolean {
  if (EXPECTED_ERRORS.some((type) => error instanceof type)) return true;
  const name = (error as { name?: string } | null)?.name;
  const message = (error as { message?: string } | null)?.message ?? '';
  return name === 'AbortError' || message.startsWith('factory down');
}

async function run(config: Config, commands: Command[]): Promise<void> {
  const clock = new FakeClock();
  const factory = new FakeFactory();
  factory.manual = true;
  const maxSize = config.extraCapacity === undefined ? Infinity : config.warmPoolSize + config.extraCapacity;
  const warmMaxSize =
    config.warmExtra === undefined ? undefined : Math.min(config.warmPoolSize + config.warmExtra, maxSize);
  const awareness = config.sessionAwareness;

  // What the test holds: plain resources, and one resource per session.
  const held = new Set<FakeResource>();
  const sessionHeld = new Map<string, FakeResource>();
  /** Sessions told idle (sessionIdle()) and not acquired since: only their resources may be lent or trimmed. */
  const idleSessions = new Set<string>();
  const controllers: AbortController[] = [];
  const outcomes: { settled: boolean }[] = [];
  const violations: string[] = [];
  let closed = false;

  const pool = new WarmableResourcePool<FakeResource>({
    name: 'prop',
    factory: factory.create,
    warmFn: () => Promise.resolve(!config.warmFails),
    validate: config.asyncHooks ? (r) => Promise.resolve(r.isReady()) : (r) => r.isReady(),
    destroy: config.asyncHooks ? (r) => Promise.resolve(r.dispose()) : (r) => r.dispose(),
    reusable: config.reusable,
    warmPoolSize: config.warmPoolSize,
    warmMaxSize,
    trimIdleMs: config.trimIdleMs,
    maxSize,
    enableBackgroundWarmup: true,
    warmupIntervalMs: 25,
    sessionAwareness: awareness,
    sessionMaxAgeMs: config.sessionMaxAgeMs,
    maxIdleMs: config.maxIdleMs,
    acquireTimeoutMs: config.acquireTimeoutMs,
    clock,
    factoryBackoff: { initialMs: 10, maxMs: 40, jitter: 0 },
    observer: {
      event: (event: PoolEvent) => {
        if (event.kind !== 'session-evicted') return;
        // A resource in use is never taken for someone else (the idle policy's age limit may end any session).
        if (event.reason !== 'idle' && !idleSessions.has(event.sessionId)) {
          violations.push(`session ${event.sessionId} lost its resource while using it (${event.reason})`);
        }
        sessionHeld.delete(event.sessionId);
        idleSessions.delete(event.sessionId);
      },
    },
  });

  const handOut = (resource: FakeResource, owner: string): void => {
    if (resource.disposeCalls > 0)
      violations.push(`handed out destroyed resource ${resource.id} to ${owner}`);
    if (held.has(resource)) violations.push(`resource ${resource.id} handed out twice (${owner})`);
    for (const [sid, r] of sessionHeld) {
      if (r === resource && sid !== owner)
        violations.push(`resource ${resource.id} of session ${sid} given to ${owner}`);
    }
  };

  const watch = <V>(promise: Promise<V>, onValue: (value: V) => void): void => {
    const outcome = { settled: false };
    outcomes.push(outcome);
    promise.then(
      (value) => {
        outcome.settled = true;
        onValue(value);
      },
      (error: unknown) => {
        outcome.settled = true;
        if (!isExpectedError(error)) violations.push(`unexpected rejection: ${String(error)}`);
      },
    );
  };

  const signal = (abortable: boolean): AbortSignal | undefined => {
    if (!abortable) return undefined;
    const controller = new AbortController();
    controllers.push(controller);
    return controller.signal;
  };

  const check = (step: string): void => {
    const s = pool.snapshot();
    const m = s.metrics;
    const fail = (what: string) => violations.push(`${step}: ${what} ${JSON.stringify(s)}`);
    if (m.resourcesCreated - m.resourcesDestroyed !== s.warmPoolSize + s.inUse) fail('books do not balance');
    if (s.size !== s.warmPoolSize + s.inUse + factory.inFlight) fail(`size != idle + in use + creating`);
    if (s.size > maxSize) fail(`live ${s.size} > maxSize ${maxSize}`);
    if (m.resourcesCreated !== factory.made.length) fail('created count != resources the factory made');
    const disposed = factory.made.filter((r) => r.disposeCalls > 0);
    if (disposed.some((r) => r.disposeCalls > 1)) fail('a resource was destroyed twice');
    if (disposed.length !== m.resourcesDestroyed) fail('destroyed count != resources disposed');
    for (const r of [...held, ...sessionHeld.values()]) {
      if (r.disposeCalls > 0) fail(`resource ${r.id} destroyed while held`);
    }
    if (s.inUse !== held.size + sessionHeld.size)
      fail(`inUse != held ${held.size} + sessions ${sessionHeld.size}`);
    if (s.pendingAcquires > 0 && s.size < maxSize) fail('waiters stranded below the cap');
    // With synchronous hooks a reclaim or hand-over completes at once: nobody waits while a session is idle.
    if (!config.asyncHooks && s.pendingAcquires > 0 && idleSessions.size > 0)
      fail('waiters stranded beside idle sessions');
    if (s.warmPoolSize > s.warmPoolMax) fail(`warm ${s.warmPoolSize} > warmPoolMax ${s.warmPoolMax}`);
    if (m.resourcesTrimmed > m.resourcesDestroyed) fail('more trimmed than destroyed');
    if (m.allocationsTotal === 0 ? m.hitRate !== null : m.hitRate === null)
      fail('hitRate null iff no allocation');
  };

  for (const [i, command] of commands.entries()) {
    switch (command.kind) {
      case 'acquire':
        watch(pool.acquire({ timeoutMs: command.timeoutMs, signal: signal(command.abortable) }), (r) => {
          handOut(r, 'plain');
          held.add(r);
        });
        break;
      case 'acquireForSession': {
        const sid = command.sessionId;
        // A session's broken client is destroyed at this call (validated before a DEDICATED hand-out).
        const bound = sid === null || !awareness ? undefined : sessionHeld.get(sid);
        const broken = bound !== undefined && !bound.ready && !closed ? bound : undefined;
        if (sid !== null) idleSessions.delete(sid); // using it again
        if (sid !== null && broken !== undefined) sessionHeld.delete(sid);
        watch(
          pool.acquireForSession(sid, { signal: signal(command.abortable) }),
          (a: SessionAllocation<FakeResource>) => {
            if (sid === null || !awareness) {
              if (a.tier === AllocationTier.DEDICATED) violations.push('DEDICATED without a session cache');
              handOut(a.resource, 'plain');
              held.add(a.resource);
              return;
            }
            if (a.resource === broken) violations.push(`session ${sid} got its broken resource back`);
            const known = sessionHeld.get(sid);
            if (a.tier === AllocationTier.DEDICATED && known !== undefined && known !== a.resource) {
              violations.push(`session ${sid} got a different DEDICATED resource`);
            }
            if (a.tier !== AllocationTier.DEDICATED && known !== undefined && known !== a.resource) {
              violations.push(`session ${sid} got a new resource while its own ${known.id} was still valid`);
            }
            if (known === undefined) handOut(a.resource, sid);
            if (closed && a.resource.disposeCalls > 0) return; // destroyed by shutdown after hand-over
            sessionHeld.set(sid, a.resource);
          },
        );
        break;
      }
      case 'release': {
        const list = [...held];
        if (list.length === 0) break;
        const r = list[command.pick % list.length];
        held.delete(r);
        void pool.release(r);
        break;
      }
      case 'releaseForSession': {
        const sid = command.sessionId;
        const plain = [...held];
        const resource = command.passResource && plain.length > 0 ? plain[0] : undefined;
        if (resource !== undefined) held.delete(resource);
        if (sid !== null && awareness) {
          sessionHeld.delete(sid);
          idleSessions.delete(sid);
        }
        void pool.releaseForSession(sid, resource);
        break;
      }
      case 'sessionIdle': {
        const sid = command.sessionId;
        // Marked before the call: a hand-over to a waiter reports at once.
        if (sid !== null && sessionHeld.has(sid)) idleSessions.add(sid);
        void pool.sessionIdle(sid);
        break;
      }
      case 'trimIdle':
        pool.trimIdle(command.count);
        break;
      case 'releaseStale': {
        // Releasing something nobody holds (idle, being refreshed, or destroyed) must change nothing.
        const owned = new Set([...held, ...sessionHeld.values()]);
        const stale = factory.made.filter((r) => !owned.has(r));
        if (stale.length > 0) void pool.release(stale[command.pick % stale.length]);
        break;
      }
      case 'abort': {
        if (controllers.length > 0) controllers[command.pick % controllers.length].abort();
        break;
      }
      case 'settleFactory':
        if (factory.inFlight === 0) break;
        if (command.ok) factory.resolveNext();
        else factory.rejectNext(new Error('factory down'));
        break;
      case 'invalidate':
        if (factory.made.length > 0) factory.made[command.pick % factory.made.length].ready = false;
        break;
      case 'breakSessionClient': {
        // Its next acquireForSession must not get it back as DEDICATED.
        const own = command.sessionId === null ? undefined : sessionHeld.get(command.sessionId);
        if (own !== undefined) own.ready = false;
        break;
      }
      case 'advance':
        clock.advance(command.ms);
        break;
      case 'maintain':
        void pool.maintain();
        break;
      case 'shutdown':
        if (!closed) {
          closed = true;
          void pool.shutdown();
          sessionHeld.clear(); // shutdown destroys session-bound resources
          idleSessions.clear();
        }
        break;
    }
    if (i === 0) void pool.prepare().catch(() => undefined);
    await flushPromises();
    if (closed) sessionHeld.clear();
    check(`step ${i} ${JSON.stringify(command)}`);
    if (violations.length > 0) throw new Error(violations.join('\n'));
  }

  // Wind down: shut down, let every factory call finish, give everything back.
  closed = true;
  const shutdown = pool.shutdown();
  sessionHeld.clear();
  while (factory.inFlight > 0) factory.resolveNext();
  await flushPromises();
  for (const r of held) void pool.release(r);
  held.clear();
  for (const sid of SESSION_IDS) void pool.releaseForSession(sid);
  await shutdown;
  await flushPromises();

  check('after shutdown');
  const s = pool.snapshot();
  if (s.size !== 0) violations.push(`live resources after shutdown and release: ${s.size}`);
  const notOnce = factory.made.filter((r) => r.disposeCalls !== 1);
  if (notOnce.length > 0)
    violations.push(`not destroyed exactly once: ${notOnce.map((r) => r.id).join(',')}`);
  if (outcomes.some((o) => !o.settled)) violations.push('an acquire never settled (stranded caller)');
  if (violations.length > 0) throw new Error(violations.join('\n'));
}

describe('WarmableResourcePool invariants under random interleavings', () => {
  it('keeps its books, its cap and its exactly-once destruction whatever happens', async () => {
    await fc.assert(fc.asyncProperty(configArb, fc.array(commandArb, { minLength: 1, maxLength: 80 }), run), {
      numRuns: 500,
    });
  });

  it('never hands a broken session client out as DEDICATED, and keeps its books under session churn', async () => {
    const churnConfig = configArb.map((c) => ({ ...c, sessionAwareness: true, sessionMaxAgeMs: 150 }));
    await fc.assert(
      fc.asyncProperty(churnConfig, fc.array(sessionChurnArb, { minLength: 10, maxLength: 60 }), run),
      { numRuns: 200 },
    );
  }, 60_000);
});
