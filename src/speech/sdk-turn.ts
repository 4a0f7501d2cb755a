import {
  CancellationDetails,
  type CancellationErrorCode,
  ResultReason,
  type SpeechSynthesisEventArgs,
  type SpeechSynthesisResult,
  type SpeechSynthesisWordBoundaryEventArgs,
  type SpeechSynthesizer,
} from 'microsoft-cognitiveservices-speech-sdk';
import { detachHandler } from './connection-watch';
import { SpeechError } from './speech-error';
import type { TextStreamInput } from './text-stream-input';
import type { SynthesisOutcome, TurnOptions } from './tts-requests';
import type { TurnTracker } from './turn-tracker';
import type { WordLocator } from './word-timing';

/** How one turn is started on the SDK, and what it needs beyond the shared options. */
export interface TurnPlan {
  options: TurnOptions;
  /** When the call began (performance.now()). */
  started: number;
  words: WordLocator;
  /** A text stream: its deadline runs only once its text has ended (until then the upstream may wait for text). */
  input?: TextStreamInput;
  speak(done: (result: SpeechSynthesisResult) => void, fail: (error: string) => void): void;
}

/** What a turn needs from the client that runs it. */
export interface TurnHost {
  synthesizer: SpeechSynthesizer;
  turns: TurnTracker;
  /** The client's no-progress deadline and audio bound, for requests that name none. */
  timeoutMs: number;
  maxAudioBytes: number;
  /** Audio bytes per second of the format the turn is in. */
  bytesPerSecond: number;
  markBroken(): void;
  mapError(what: string, code: CancellationErrorCode | undefined, details: string): SpeechError;
}

/**
 * Runs one SDK turn for its caller: chunks and words out as they come, the audio bound, the no-progress deadline
 * (the SDK can hang forever when a socket closes mid-turn; on expiry the client is broken), cancel by `signal`
 * (the caller's wait ends at once, the upstream is asked to stop) and, for a text stream, the idle bound.
 */
export function runSdkTurn(host: TurnHost, plan: TurnPlan): Promise<SynthesisOutcome> {
  const { synthesizer, turns } = host;
  const { options, input, words, started } = plan;
  const { signal, onChunk, onWord } = options;
  const maxAudioBytes = options.maxAudioBytes ?? host.maxAudioBytes;
  const timeoutMs = options.timeoutMs ?? host.timeoutMs;
  let firstByteAt: number | null = null;
  let bytes = 0;

  return new Promise<SynthesisOutcome>((resolve, reject) => {
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const settle = (error: SpeechError | null, canceled: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      input?.finish();
      // Unset rather than a no-op: the SDK then skips building event args for what is still coming.
      detachHandler(synthesizer, 'synthesizing');
      detachHandler(synthesizer, 'wordBoundary');
      if (error) return reject(error);
      const origin = input?.firstWriteAt ?? started;
      resolve({
        firstByteMs: firstByteAt === null ? null : Math.max(0, firstByteAt - origin),
        totalMs: performance.now() - started,
        bytes,
        audioMs: (bytes * 1000) / host.bytesPerSecond,
        canceled,
      });
    };
    const turn = turns.begin(settle);
    const onAbort = (): void => turns.stop(turn);
    const armDeadline = (): void => {
      timer ??= setTimeout(() => {
        host.markBroken();
        turns.end(turn);
        settle(new SpeechError('TIMEOUT', `synthesis made no progress for ${timeoutMs} ms`), false);
      }, timeoutMs);
    };
    if (!input || input.isEnded) armDeadline();
    else {
      input.onEnd = armDeadline;
      input.onIdle = () => {
        settle(input.idleError(), false);
        turns.stop(turn);
      };
    }
    signal?.addEventListener('abort', onAbort, { once: true });

    synthesizer.synthesisStarted = () => turns.started(turn);
    synthesizer.synthesizing = (_sender: unknown, event: SpeechSynthesisEventArgs) => {
      if (settled) return;
      const chunk = Buffer.from(event.result.audioData);
      if (chunk.length === 0) return;
      timer?.refresh();
      if (bytes + chunk.length > maxAudioBytes) {
        settle(
          new SpeechError(
            'BAD_REQUEST',
            `the synthesis would produce more than ${maxAudioBytes} bytes of audio (maxAudioBytes); it was stopped`,
          ),
          false,
        );
        turns.stop(turn);
        return;
      }
      firstByteAt ??= performance.now();
      bytes += chunk.length;
      onChunk?.(chunk);
    };
    // Set per turn: the SDK asks the upstream for word boundaries only while a handler is attached.
    if (onWord) {
      synthesizer.wordBoundary = (_sender: unknown, event: SpeechSynthesisWordBoundaryEventArgs) => {
        if (settled) return;
        const word = words.toTiming(event);
        if (word) onWord(word);
      };
    } else detachHandler(synthesizer, 'wordBoundary');
    try {
      plan.speak(
        (result: SpeechSynthesisResult) => {
          turns.end(turn);
          if (result.reason === ResultReason.SynthesizingAudioCompleted) return settle(null, false);
          // After any cancel the SDK's connection state is suspect: recycle this client.
          host.markBroken();
          const details = CancellationDetails.fromResult(result);
          settle(host.mapError('synthesis', details.ErrorCode, details.errorDetails ?? ''), false);
        },
        (error: string) => {
          turns.end(turn);
          host.markBroken();
          settle(host.mapError('synthesis', undefined, error), false);
        },
      );
    } catch (error) {
      // A synchronous throw makes the SDK dispose the synthesizer itself.
      turns.end(turn);
      host.markBroken();
      settle(host.mapError('synthesis', undefined, String(error)), false);
    }
  });
}
