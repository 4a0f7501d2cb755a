/*
 * The pool passes on what others reject with, unchanged: an abort rejects with the signal's own reason (whatever
 * the caller gave abort(), as fetch() does), a factory's failure with what the factory threw.
 */

/** A promise rejected with `reason`, as it is. */
export function rejectWith(reason: unknown): Promise<never> {
  return Promise.reject(reason);
}

/**
 * `promise`, or a rejection with the signal's reason if it aborts first. The listener is removed once `promise`
 * settles, and `promise` is handled either way (no unhandled rejection when it loses the race).
 */
export function untilAborted<V>(promise: Promise<V>, signal: AbortSignal): Promise<V> {
  return new Promise<V>((resolve, reject) => {
    const onAbort = (): void => {
      const reason: unknown = signal.reason; // typed `any` by the DOM library: whatever abort() was given
      reject(reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
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
