/** Shared settled promises: the pool's synchronous paths return these instead of allocating new ones. */
export const RESOLVED: Promise<void> = Promise.resolve();
export const RESOLVED_FALSE: Promise<boolean> = Promise.resolve(false);
export const RESOLVED_TRUE: Promise<boolean> = Promise.resolve(true);

export const noop = (): void => undefined;
