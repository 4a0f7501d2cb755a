import type { PoolEvent } from '../../../src/pools/pool-observer';
import type { PoolSnapshot } from '../../../src/pools/pool-snapshot';

/** A resource with the optional methods the pool's default hooks use, counting every call. */
export class FakeResource {
  ready = true;
  disposeCalls = 0;
  clearCalls = 0;

  constructor(readonly id: number) {}

  isReady(): boolean {
    return this.ready;
  }

  dispose(): void {
    this.disposeCalls++;
  }

  clearSessionState(): void {
    this.clearCalls++;
  }
}

interface Deferred {
  resolve(resource: FakeResource): void;
  reject(error: unknown): void;
}

/**
 * A factory whose calls resolve at once (default) or only when the test says so (`manual`), and which can be told
 * to fail. Records everything it made.
 */
export class FakeFactory {
  calls = 0;
  manual = false;
  /** While true every call fails. */
  failing = false;
  readonly made: FakeResource[] = [];
  private failNextCount = 0;
  private readonly waiting: Deferred[] = [];

  readonly create = (): Promise<FakeResource> => {
    this.calls++;
    if (this.failing || this.failNextCount > 0) {
      if (this.failNextCount > 0) this.failNextCount--;
      return Promise.reject(new Error(`factory down (call ${this.calls})`));
    }
    if (this.manual) {
      return new Promise<FakeResource>((resolve, reject) => this.waiting.push({ resolve, reject }));
    }
    return Promise.resolve(this.make());
  };

  failNext(count = 1): void {
    this.failNextCount += count;
  }

  /** Manual calls not settled yet. */
  get inFlight(): number {
    return this.waiting.length;
  }

  resolveNext(): FakeResource {
    const next = this.waiting.shift();
    if (next === undefined) throw new Error('no factory call in flight');
    const resource = this.make();
    next.resolve(resource);
    return resource;
  }

  rejectNext(error: unknown = new Error('factory down')): void {
    const next = this.waiting.shift();
    if (next === undefined) throw new Error('no factory call in flight');
    next.reject(error);
  }

  /** Resources made so far and not disposed. */
  alive(): FakeResource[] {
    return this.made.filter((r) => r.disposeCalls === 0);
  }

  private make(): FakeResource {
    const resource = new FakeResource(this.made.length + 1);
    this.made.push(resource);
    return resource;
  }
}

/** Collects observer events by kind. */
export class EventLog {
  readonly events: PoolEvent[] = [];
  readonly observer = { event: (event: PoolEvent) => this.events.push(event) };

  ofKind<K extends PoolEvent['kind']>(kind: K): Extract<PoolEvent, { kind: K }>[] {
    return this.events.filter((e): e is Extract<PoolEvent, { kind: K }> => e.kind === kind);
  }
}

/** The books every snapshot must balance: created - destroyed = idle + in use. */
export function expectBooksBalanced(snapshot: PoolSnapshot): void {
  const { resourcesCreated, resourcesDestroyed } = snapshot.metrics;
  if (resourcesCreated - resourcesDestroyed !== snapshot.warmPoolSize + snapshot.inUse) {
    throw new Error(
      `books off: created ${resourcesCreated} - destroyed ${resourcesDestroyed} != idle ${snapshot.warmPoolSize} + in use ${snapshot.inUse}`,
    );
  }
}
