import { CANCELED_BY_CLIENT } from './tts-request-queue';

export { CANCELED_BY_CLIENT };

/** The client's socket went away: nobody is left to answer. */
export const DISCONNECTED = 'disconnected';

/** The session ended (grace over, or shutdown) with work still attached to it. */
export const SESSION_ENDED = 'session ended';

/** Rejects with `signal.reason` as soon as `signal` aborts, else settles like `work`. */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as unknown);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as unknown);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
