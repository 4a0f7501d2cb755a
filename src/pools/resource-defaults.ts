/** The optional methods the default hooks look for on a resource (e.g. the speech clients). */
interface ResourceLike {
  dispose?: () => unknown;
  close?: () => unknown;
  isReady?: () => boolean;
  clearSessionState?: () => unknown;
}

function asResourceLike(resource: unknown): ResourceLike | null {
  return (typeof resource === 'object' && resource !== null) || typeof resource === 'function'
    ? resource
    : null;
}

/**
 * Default destroy: `dispose()` if the resource has one, otherwise `close()` — never both. (Written as
 * `r.dispose?.() ?? r.close?.()` it would also call close() after a dispose() that returns undefined; one
 * teardown per resource is the intent.)
 */
export function defaultDestroy(resource: unknown): Promise<void> | void {
  const r = asResourceLike(resource);
  if (r === null) return;
  if (typeof r.dispose === 'function') return r.dispose() as Promise<void> | void;
  if (typeof r.close === 'function') return r.close() as Promise<void> | void;
}

/** Default validate: `isReady()` when the resource has one, otherwise valid. */
export function defaultValidate(resource: unknown): boolean {
  const r = asResourceLike(resource);
  return r !== null && typeof r.isReady === 'function' ? r.isReady() : true;
}

/** Calls `clearSessionState()` when the resource has one; its result (maybe a promise) is returned. */
export function clearSessionState(resource: unknown): unknown {
  const r = asResourceLike(resource);
  return r !== null && typeof r.clearSessionState === 'function' ? r.clearSessionState() : undefined;
}

export function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function'
  );
}
