import type { CreationGate, GatedPool } from '../../../src/pools/creation-gate';

interface Waiter {
  resolve: (id: number) => void;
}

/**
 * A minimal pool of numbered fake clients that keeps a CreationGate's protocol the way the real pool does: take
 * before every creation (a refused acquire waits FIFO and retries on wake), give back once per destroyed client.
 * For testing fleet budgets without speech clients.
 */
export class GatedFakePool implements GatedPool {
  readonly idle: number[] = [];
  readonly inUse = new Set<number>();
  private readonly waiters: Waiter[] = [];
  private creating = 0;
  private nextId = 1;
  created = 0;
  destroyed = 0;
  served = 0;

  constructor(
    readonly name: string,
    private readonly gate: CreationGate,
    private readonly maxSize = Infinity,
  ) {
    gate.attach(this);
  }

  get live(): number {
    return this.idle.length + this.inUse.size + this.creating;
  }

  pendingAcquires(): number {
    return this.waiters.length;
  }

  idleCount(): number {
    return this.idle.length;
  }

  allocations(): number {
    return this.served;
  }

  busy(): number {
    return this.inUse.size + this.waiters.length;
  }

  /** Pre-creates `count` idle clients (a warm-up), as far as the gate allows. */
  async fill(count: number): Promise<void> {
    for (let i = 0; i < count; i++) {
      if (!(await this.gate.tryTake('refill'))) return;
      this.idle.push(this.nextId++);
      this.created++;
    }
  }

  acquire(): Promise<number> {
    const idle = this.idle.pop();
    if (idle !== undefined) {
      this.inUse.add(idle);
      this.served++;
      return Promise.resolve(idle);
    }
    return new Promise((resolve) => {
      this.waiters.push({ resolve });
      this.wake();
    });
  }

  /** Destroys the client (single-use, like the STT pool) and gives its lease back. */
  release(id: number): void {
    if (!this.inUse.delete(id)) return;
    this.destroy();
    this.wake();
  }

  /**
   * Gives a reusable client back, as the real pool does: closed when the gate reclaims its lease, else to the
   * oldest waiter, else idle.
   */
  giveBack(id: number): void {
    if (!this.inUse.delete(id)) return;
    if (this.gate.reclaim?.() === true) {
      this.destroy();
      return;
    }
    const waiter = this.waiters.shift();
    if (waiter === undefined) {
      this.idle.push(id);
      return;
    }
    this.inUse.add(id);
    this.served++;
    waiter.resolve(id);
  }

  wake(): void {
    const waiting = this.waiters.length - this.creating;
    for (let i = 0; i < waiting && this.live < this.maxSize; i++) void this.createForHead();
  }

  trimIdle(count: number): number {
    const closed = this.idle.splice(0, Math.min(count, this.idle.length));
    for (let i = 0; i < closed.length; i++) this.destroy();
    return closed.length;
  }

  private async createForHead(): Promise<void> {
    this.creating++;
    let granted: boolean;
    try {
      granted = await this.gate.tryTake('acquire');
    } finally {
      this.creating--;
    }
    if (!granted) return; // stays queued; the gate wakes us to retry
    const waiter = this.waiters.shift();
    const id = this.nextId++;
    this.created++;
    if (waiter === undefined) {
      this.idle.push(id);
      return;
    }
    this.inUse.add(id);
    this.served++;
    waiter.resolve(id);
  }

  private destroy(): void {
    this.destroyed++;
    this.gate.release();
  }
}
