/**
 * Polls a condition until it holds. For state that only another process or socket can change (what the emulator
 * has seen close), where no event exists to await. The deadline is generous: it bounds a failure, not a speed.
 */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
