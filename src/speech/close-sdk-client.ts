/**
 * Closes an SDK synthesizer or recognizer and resolves once its socket is gone (`close()` alone returns before).
 * One the SDK already disposed itself — after a synchronous speak error — throws on close: nothing is left then.
 */
export function closeSdkClient(client: {
  close(cb?: () => void, err?: (error: string) => void): void;
}): Promise<void> {
  return new Promise<void>((resolve) => {
    try {
      client.close(
        () => resolve(),
        () => resolve(),
      );
    } catch {
      resolve();
    }
  });
}
