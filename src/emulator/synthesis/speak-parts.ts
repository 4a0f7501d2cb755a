import { FIRST_CONTEXT, nextContext, PlanPart } from './speech-plan';
import { RenderedSegment, SpeechUnit, SpeechVoice } from './speech-voice';

/** Units rendered ahead of the one being streamed: the next one is ready when the current one ends. */
const LOOKAHEAD = 2;

/** Where a turn's parts come from: all at once (SSML) or as the text arrives (a text stream). */
export interface PartSource {
  /** The next part, if one is ready now. */
  next(): PlanPart | undefined;
  /** No part will come any more. */
  readonly done: boolean;
  /** Resolves when a part may be ready, the source is done, or `signal` aborts. */
  wait(signal: AbortSignal): Promise<void>;
}

export function partsOf(parts: PlanPart[]): PartSource {
  let index = 0;
  return {
    next: () => parts[index++],
    get done() {
      return index >= parts.length;
    },
    wait: () => Promise.resolve(),
  };
}

/** Where rendered parts go (a turn's TurnAudio). */
export interface AudioSink {
  /** A rendered unit (`unit` says what it is). */
  speech(segment: RenderedSegment, unit: SpeechUnit): Promise<void>;
  silence(ms: number): Promise<void>;
}

interface QueuedPart {
  part: PlanPart;
  rendered?: Promise<RenderedSegment>;
}

/** Resolves with the promise's value, or undefined as soon as `signal` aborts. */
function unlessAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T | undefined> {
  if (signal.aborted) return Promise.resolve(undefined);
  return new Promise<T | undefined>((resolve, reject) => {
    const onAbort = (): void => resolve(undefined);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * Speaks a turn's parts in order: each unit is rendered as soon as it is known (at most {@link LOOKAHEAD} ahead)
 * and streamed as soon as it is rendered, so the first audio leaves after the first sentence, whatever follows.
 * Returns when the source is done or the turn stopped.
 */
export async function speakParts(
  source: PartSource,
  voice: SpeechVoice,
  audio: AudioSink,
  sampleRate: number,
  stopped: AbortSignal,
): Promise<void> {
  const queue: QueuedPart[] = [];
  let context = FIRST_CONTEXT;
  const fill = (): void => {
    while (queue.length < LOOKAHEAD) {
      const part = source.next();
      if (!part) return;
      const queued: QueuedPart = { part };
      if (part.kind === 'unit') {
        queued.rendered = voice.renderUnit(part.unit, sampleRate, context);
        queued.rendered.catch(() => undefined); // awaited below, unless the turn stops first
        context = nextContext(context, part.unit.text);
      }
      queue.push(queued);
    }
  };
  while (!stopped.aborted) {
    fill();
    const head = queue.shift();
    if (!head) {
      if (source.done) return;
      await source.wait(stopped);
      continue;
    }
    if (head.part.kind === 'silence') {
      await audio.silence(head.part.ms);
      continue;
    }
    const segment = await unlessAborted(head.rendered as Promise<RenderedSegment>, stopped);
    if (segment === undefined) return;
    fill(); // the next unit renders while this one streams
    await audio.speech(segment, head.part.unit);
  }
}
