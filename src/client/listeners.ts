/**
 * A minimal typed event emitter that works in Node and in browsers alike (Node's EventEmitter does not exist in a
 * page). `on` returns the function that removes the listener.
 */
export class Listeners<Events extends { [K in keyof Events]: (...args: never[]) => void }> {
  private readonly byEvent = new Map<keyof Events, Set<Events[keyof Events]>>();

  on<K extends keyof Events>(event: K, listener: Events[K]): () => void {
    let set = this.byEvent.get(event);
    if (set === undefined) this.byEvent.set(event, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  emit<K extends keyof Events>(event: K, ...args: Parameters<Events[K]>): void {
    const set = this.byEvent.get(event);
    if (set === undefined) return;
    // A copy: a listener may remove itself (or others) while it runs.
    for (const listener of [...set]) (listener as (...a: Parameters<Events[K]>) => void)(...args);
  }
}
