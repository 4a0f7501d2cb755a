import type { Clock, ClockTimer } from '../pools/clock';
import { HttpApiError } from './http-api-error';

/** How fast an upload must arrive while the server waits for it. */
export interface UploadPace {
  /** HTTP_BODY_IDLE: the longest the server waits for the next bytes of a body. */
  idleMs: number;
  /** The slowest average an upload may arrive at, over every `rateWindowMs` of waiting for it. */
  minBytesPerSecond: number;
  rateWindowMs: number;
}

/** A stalled or too slow upload: 408, and the connection is closed after the answer. */
export const uploadTimeout = (message: string): HttpApiError =>
  new HttpApiError('TIMEOUT', message, { status: 408 });

const seconds = (ms: number): string => `${Math.round(ms / 100) / 10} s`;

/**
 * The chunks of a body as they arrive, pulled, failing with 408 when the client stalls (nothing for `idleMs`) or
 * trickles (less than `minBytesPerSecond` over a window of `rateWindowMs`). Only the time spent waiting for the
 * client counts: while the consumer is busy (a recognizer being acquired) nothing is read and the client is
 * held back by TCP, which is not its fault. A timed-out source is left as it is (its read is still pending): the
 * 408 is answered on a connection that is closed afterwards (see sendProblem), which ends the request.
 */
export async function* pacedBody(
  source: AsyncIterable<Buffer>,
  pace: UploadPace,
  clock: Clock,
): AsyncGenerator<Buffer> {
  const iterator = source[Symbol.asyncIterator]();
  let windowWaitedMs = 0;
  let windowBytes = 0;
  // Set when the source is not to be closed here: it ended, or the upload was too slow (the answer closes it).
  let finished = false;
  try {
    for (;;) {
      const asked = clock.now();
      let timer: ClockTimer | undefined;
      const stalled = new Promise<never>((_, reject) => {
        timer = clock.setTimeout(
          () =>
            reject(
              uploadTimeout(
                `no part of the upload arrived for ${seconds(pace.idleMs)} (HTTP_BODY_IDLE); send the body without pausing`,
              ),
            ),
          pace.idleMs,
        );
      });
      let next: IteratorResult<Buffer>;
      try {
        next = await Promise.race([iterator.next(), stalled]);
      } catch (error) {
        finished = true;
        throw error;
      } finally {
        clock.clearTimeout(timer as ClockTimer);
      }
      if (next.done === true) {
        finished = true;
        return;
      }
      windowWaitedMs += clock.now() - asked;
      windowBytes += next.value.length;
      if (windowWaitedMs >= pace.rateWindowMs) {
        if ((windowBytes * 1000) / windowWaitedMs < pace.minBytesPerSecond) {
          finished = true;
          throw uploadTimeout(
            `the upload arrives slower than ${pace.minBytesPerSecond} bytes/s ` +
              `(${windowBytes} bytes in ${seconds(windowWaitedMs)}); send it at least that fast`,
          );
        }
        windowWaitedMs = 0;
        windowBytes = 0;
      }
      yield next.value;
    }
  } finally {
    // The consumer stopped early or the upload was too slow: stop reading the source (a request is destroyed).
    if (!finished) void iterator.return?.().catch(() => undefined);
  }
}
