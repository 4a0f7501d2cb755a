export const SDK_OBJECT_KINDS = ['synthesizers', 'recognizers', 'connections'] as const;
export type SdkObjectKind = (typeof SDK_OBJECT_KINDS)[number];

export interface SdkObjectCount {
  /** Objects made by warmline's speech code. */
  created: number;
  /** Of those, how many the garbage collector has reclaimed (reported some time after each collection). */
  collected: number;
  /** created - collected: objects still in memory, reachable or awaiting collection. */
  live: number;
}

/**
 * Counts Speech SDK objects from creation until the garbage collector reclaims them (a FinalizationRegistry).
 * Right after a full collection, `live` is what is really still referenced; set next to the pools' books
 * (created - destroyed), a difference is SDK objects that outlived their client: a leak.
 */
export class SdkObjectCensus {
  private readonly created: Record<SdkObjectKind, number> = {
    synthesizers: 0,
    recognizers: 0,
    connections: 0,
  };
  private readonly collected: Record<SdkObjectKind, number> = {
    synthesizers: 0,
    recognizers: 0,
    connections: 0,
  };
  private readonly registry = new FinalizationRegistry<SdkObjectKind>((kind) => {
    this.collected[kind]++;
  });

  track(kind: SdkObjectKind, object: object): void {
    this.created[kind]++;
    this.registry.register(object, kind);
  }

  snapshot(): Record<SdkObjectKind, SdkObjectCount> {
    const count = (kind: SdkObjectKind): SdkObjectCount => ({
      created: this.created[kind],
      collected: this.collected[kind],
      live: this.created[kind] - this.collected[kind],
    });
    return {
      synthesizers: count('synthesizers'),
      recognizers: count('recognizers'),
      connections: count('connections'),
    };
  }
}

/** The process's census: every speech client reports to it unless given another one (tests). */
export const sdkObjectCensus = new SdkObjectCensus();

/** Injection token for the census the debug report reads (the process's one in the application). */
export const SDK_OBJECT_CENSUS = Symbol('SDK_OBJECT_CENSUS');
