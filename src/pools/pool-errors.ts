/** The pool stayed at its cap for longer than the acquire timeout. */
export class PoolTimeoutError extends Error {
  override readonly name = 'PoolTimeoutError';
  constructor(
    readonly poolName: string,
    readonly timeoutMs: number,
  ) {
    super(`pool "${poolName}": no resource became available within ${timeoutMs} ms`);
  }
}

/** The pool has been shut down. */
export class PoolClosedError extends Error {
  override readonly name = 'PoolClosedError';
  constructor(readonly poolName: string) {
    super(`pool "${poolName}" is shut down`);
  }
}
