import { terminalText } from '../cli/terminal-text';

/** A check answers within this, or the server counts as not there. */
const PROBE_TIMEOUT_MS = 5_000;

/**
 * Asks the service once whether it is there (`GET /health/live`; any HTTP answer will do). Null when it answered,
 * otherwise why not, in words for the terminal.
 */
export async function probeServer(url: string, signal: AbortSignal): Promise<string | null> {
  try {
    const response = await fetch(`${url}/health/live`, {
      signal: AbortSignal.any([signal, AbortSignal.timeout(PROBE_TIMEOUT_MS)]),
    });
    await response.body?.cancel();
    return null;
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
    const why =
      (error as Error).name === 'TimeoutError'
        ? `no answer within ${PROBE_TIMEOUT_MS / 1000} s`
        : typeof cause?.code === 'string'
          ? cause.code === 'ECONNREFUSED'
            ? 'connection refused'
            : cause.code
          : (error as Error).message;
    return `cannot reach warmline at ${url} (${terminalText(why)}); is it running (npm start) and is --url right?`;
  }
}
