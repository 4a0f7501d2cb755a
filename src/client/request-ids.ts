/** A prefix per client instance, so ids of clients in the same process or page do not collide in logs. */
const instance = (): string => Math.random().toString(36).slice(2, 8);

/**
 * Request ids unique within a client (the server requires that among a session's queued and running requests).
 * `crypto.randomUUID` is not used: browsers offer it only in secure contexts, and plain http on a LAN is not one.
 */
export class RequestIds {
  private readonly prefix = instance();
  private count = 0;

  next(kind: 'tts' | 'stt'): string {
    return `${kind}-${this.prefix}-${++this.count}`;
  }
}
