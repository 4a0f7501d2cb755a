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

/** releaseForSession() ended the session while one of its acquireForSession() calls was still waiting. */
export class PoolSessionReleasedError extends Error {
  override readonly name = 'PoolSessionReleasedError';
  constructor(
    readonly poolName: string,
    readonly sessionId: string,
  ) {
    super(`pool "${poolName}": session "${sessionId}" was released while acquiring`);
  }
}
