import type { PoolUpstreamShare } from '../pools/pool-snapshot';
import type { SpeechTarget } from '../speech/speech-target';
import type { Upstream, UpstreamSet } from '../upstream/failover/upstream-set';

/**
 * Which upstream each of one pool's clients lives on: new clients go where the upstream set says, a client on an
 * upstream that is no longer preferred (an earlier one recovered) fails the pool's validation and is replaced
 * when it next comes by (the warm pop, a dedicated hand-out, a return), and the snapshot counts clients per
 * upstream.
 */
export class UpstreamPlacement<T extends object> {
  private readonly placed = new WeakMap<T, Upstream>();
  private readonly counts = new Map<Upstream, number>();

  constructor(private readonly upstreams: UpstreamSet) {}

  async create(make: (target: SpeechTarget) => Promise<T>): Promise<T> {
    const { client, upstream } = await this.upstreams.connect(make);
    this.placed.set(client, upstream);
    this.counts.set(upstream, (this.counts.get(upstream) ?? 0) + 1);
    return client;
  }

  isPreferred(client: T): boolean {
    const upstream = this.placed.get(client);
    return upstream === undefined || this.upstreams.isPreferred(upstream);
  }

  /** Called once per destroyed client. */
  destroyed(client: T): void {
    const upstream = this.placed.get(client);
    if (upstream === undefined) return;
    this.placed.delete(client);
    this.counts.set(upstream, Math.max((this.counts.get(upstream) ?? 0) - 1, 0));
  }

  shares(): PoolUpstreamShare[] {
    return this.upstreams.upstreams.map((upstream) => ({
      name: upstream.name,
      circuit: upstream.circuit.state,
      resources: this.counts.get(upstream) ?? 0,
    }));
  }
}
