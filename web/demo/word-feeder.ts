/**
 * Feeds `text` piece by piece at `wordsPerSecond`, like a language model streaming its reply: each word with the
 * space before it, the first one at once. Resolves after the last piece, or as soon as `signal` aborts.
 */
export function feedWords(
  text: string,
  wordsPerSecond: number,
  write: (piece: string) => void,
  signal: AbortSignal,
): Promise<void> {
  const pieces = text.match(/\s*\S+/g) ?? [];
  return new Promise((resolve) => {
    let next = 0;
    const finish = (): void => {
      clearInterval(timer);
      signal.removeEventListener('abort', finish);
      resolve();
    };
    const tick = (): void => {
      if (signal.aborted || next >= pieces.length) return finish();
      write(pieces[next++]);
      if (next >= pieces.length) finish();
    };
    const timer = setInterval(tick, 1000 / wordsPerSecond);
    signal.addEventListener('abort', finish, { once: true });
    tick();
  });
}
