import { SpeechError } from '../../speech/speech-error';
import { describeSpeechTarget, type SpeechTarget } from '../../speech/speech-target';
import { UpstreamCircuit, type CircuitState } from './upstream-circuit';

export interface Upstream {
  /** The region or host, never a credential: the `upstream` label of metrics and snapshots. */
  readonly name: string;
  readonly target: SpeechTarget;
  readonly circuit: UpstreamCircuit;
}

export interface UpstreamStatus {
  name: string;
  state: CircuitState;
  consecutiveFailures: number;
}

export interface UpstreamSetOptions {
  threshold: number;
  cooldownMs: number;
  logger?: { log(message: string): void; warn(message: string): void };
  now?: () => number;
}

/** The upstream's name in labels: its region, or its host and port. */
export function upstreamName(target: SpeechTarget): string {
  if (target.kind === 'azure') return target.region;
  return new URL(target.url).host;
}

/** Refusals that count against an upstream: throttling (429), 5xx, connect failures and timeouts; never a 401. */
export function isRefusal(error: unknown): boolean {
  if (!(error instanceof SpeechError) || error.upstreamAuth) return false;
  return ['UPSTREAM_THROTTLED', 'UPSTREAM_UNAVAILABLE', 'TIMEOUT'].includes(error.code);
}

/**
 * The upstreams in priority order, each behind its circuit. A new client is made on the first upstream that
 * admits an attempt; one that refuses is reported and the next one is tried at once, so a refusing primary
 * costs no request. `isPreferred` tells whether a client's upstream is still where new clients would go: once
 * an earlier upstream has recovered, clients on later ones are retired as they come by (the pool's validate).
 */
export class UpstreamSet {
  readonly upstreams: readonly Upstream[];
  private readonly logger: UpstreamSetOptions['logger'];

  constructor(targets: readonly SpeechTarget[], options: UpstreamSetOptions) {
    this.logger = options.logger;
    this.upstreams = targets.map((target) => ({
      name: upstreamName(target),
      target,
      circuit: new UpstreamCircuit(options.threshold, options.cooldownMs, options.now),
    }));
  }

  get primary(): Upstream {
    const first = this.upstreams[0];
    if (first === undefined) throw new Error('an upstream set needs at least one upstream');
    return first;
  }

  /**
   * Makes a client on the first upstream that admits it, falling through refusals in priority order. When every
   * circuit is open the primary is tried anyway (better one more attempt than no client at all). Rejects with
   * the last upstream's error when none could make one.
   */
  async connect<T>(make: (target: SpeechTarget) => Promise<T>): Promise<{ client: T; upstream: Upstream }> {
    let lastError: unknown = undefined;
    let attempted = false;
    for (const upstream of this.upstreams) {
      if (!upstream.circuit.tryAcquire()) continue;
      attempted = true;
      try {
        return { client: await this.attempt(upstream, make), upstream };
      } catch (error) {
        if (!isRefusal(error)) throw error;
        lastError = error;
      }
    }
    if (!attempted) return { client: await this.attempt(this.primary, make), upstream: this.primary };
    throw lastError;
  }

  /** A half-open upstream's probe: one attempt, whose outcome closes or re-opens its circuit. */
  async probe(upstream: Upstream, make: (target: SpeechTarget) => Promise<unknown>): Promise<void> {
    if (upstream.circuit.state !== 'half-open' || !upstream.circuit.tryAcquire()) return;
    await this.attempt(upstream, make).catch(() => undefined);
  }

  private async attempt<T>(upstream: Upstream, make: (target: SpeechTarget) => Promise<T>): Promise<T> {
    try {
      const client = await make(upstream.target);
      if (upstream.circuit.succeeded()) {
        this.logger?.log(`speech upstream ${upstream.name} accepts connections again: new clients go to it`);
      }
      return client;
    } catch (error) {
      if (!isRefusal(error)) {
        upstream.circuit.abandoned();
      } else if (upstream.circuit.failed()) {
        this.logger?.warn(
          `speech upstream ${describeSpeechTarget(upstream.target)} keeps refusing connections ` +
            `(${(error as Error).message}); new clients go to the next upstream until a probe succeeds`,
        );
      }
      throw error;
    }
  }

  /** No upstream before this one is closed: new clients would still come here (or further down). */
  isPreferred(upstream: Upstream): boolean {
    for (const candidate of this.upstreams) {
      if (candidate === upstream) return true;
      if (candidate.circuit.state === 'closed') return false;
    }
    return true;
  }

  /** Upstreams whose circuit is half-open: a probe may go now. */
  dueForProbe(): Upstream[] {
    return this.upstreams.filter((upstream) => upstream.circuit.state === 'half-open');
  }

  status(): UpstreamStatus[] {
    return this.upstreams.map(({ name, circuit }) => ({
      name,
      state: circuit.state,
      consecutiveFailures: circuit.consecutiveFailures,
    }));
  }
}
