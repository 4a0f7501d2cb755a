import { SpeechError } from '../speech/speech-error';

/**
 * Why running speech work (a synthesis, a recognition) was stopped before it finished. Each reason decides how the
 * request is answered: see {@link replyFor}.
 */
export type AbortReason =
  /** The client asked (tts.cancel): answered as a success that says it was canceled. */
  | { readonly kind: 'canceled' }
  /** The client's connection went away (closed, or taken over by another connection): nobody to answer. */
  | { readonly kind: 'disconnected' }
  /** The session ended (its resume grace ran out) with work still attached: nobody to answer. */
  | { readonly kind: 'session-ended' }
  /** The service is shutting down and the drain time is over: answered with SHUTTING_DOWN. */
  | { readonly kind: 'shutting-down' }
  /** The client does not read its audio fast enough: answered with RATE_LIMITED. */
  | { readonly kind: 'slow-reader'; readonly bufferedBytes: number; readonly limitBytes: number }
  /** A streamed text got no piece for its idle bound before its end: answered with TIMEOUT. */
  | { readonly kind: 'text-idle'; readonly idleMs: number };

export const CANCELED: AbortReason = Object.freeze({ kind: 'canceled' });
export const DISCONNECTED: AbortReason = Object.freeze({ kind: 'disconnected' });
export const SESSION_ENDED: AbortReason = Object.freeze({ kind: 'session-ended' });
export const SHUTTING_DOWN: AbortReason = Object.freeze({ kind: 'shutting-down' });

export function slowReader(bufferedBytes: number, limitBytes: number): AbortReason {
  return { kind: 'slow-reader', bufferedBytes, limitBytes };
}

export function textIdle(idleMs: number): AbortReason {
  return { kind: 'text-idle', idleMs };
}

const KINDS: ReadonlySet<string> = new Set([
  'text-idle',
  'canceled',
  'disconnected',
  'session-ended',
  'shutting-down',
  'slow-reader',
]);

/** True for the reasons above (an AbortSignal's reason, or what `signal.throwIfAborted()` threw). */
export function isAbortReason(value: unknown): value is AbortReason {
  if (typeof value !== 'object' || value === null) return false;
  const kind = (value as { kind?: unknown }).kind;
  return typeof kind === 'string' && KINDS.has(kind);
}

/** How a request stopped for `reason` is answered. */
export type AbortReply =
  | { readonly kind: 'canceled' }
  | { readonly kind: 'nobody' }
  | { readonly kind: 'failed'; readonly error: SpeechError };

export function replyFor(reason: AbortReason): AbortReply {
  switch (reason.kind) {
    case 'canceled':
      return { kind: 'canceled' };
    case 'disconnected':
    case 'session-ended':
      return { kind: 'nobody' };
    case 'shutting-down':
      return {
        kind: 'failed',
        error: new SpeechError(
          'SHUTTING_DOWN',
          'the service is shutting down; reconnect to another instance',
        ),
      };
    case 'slow-reader':
      return {
        kind: 'failed',
        error: new SpeechError(
          'RATE_LIMITED',
          `the client is not reading audio fast enough (${reason.bufferedBytes} bytes waiting to be sent, ` +
            `limit ${reason.limitBytes}); the request was aborted`,
        ),
      };
    case 'text-idle':
      return {
        kind: 'failed',
        error: new SpeechError(
          'TIMEOUT',
          `no text for ${reason.idleMs} ms before tts.stream.end; the stream was stopped`,
        ),
      };
    default: {
      const unhandled: never = reason;
      throw new Error(`unhandled abort reason ${JSON.stringify(unhandled)}`);
    }
  }
}

/** Rejects with `signal.reason` as soon as `signal` aborts, else settles like `work`. */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as unknown);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as unknown);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
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
