import type { RecognitionSpan, SessionSpan, SynthesisSpan, TraceParent } from './tracing';
import { Tracing } from './tracing';

const nothing = (): void => undefined;

/** Shared by every caller while tracing is off: the hot path allocates nothing and records nothing. */
export const NOOP_SESSION_SPAN: SessionSpan = Object.freeze({
  kind: 'session-span' as const,
  setResumed: nothing,
  recordError: nothing,
  end: nothing,
});

export const NOOP_SYNTHESIS_SPAN: SynthesisSpan = Object.freeze({
  setTier: nothing,
  setPoolWaitMs: nothing,
  setFirstByteMs: nothing,
  setAudioBytes: nothing,
  setOutcome: nothing,
  recordError: nothing,
  end: nothing,
});

export const NOOP_RECOGNITION_SPAN: RecognitionSpan = Object.freeze({
  setTier: nothing,
  setPoolWaitMs: nothing,
  setFinals: nothing,
  setOutcome: nothing,
  recordError: nothing,
  end: nothing,
});

/** Tracing switched off: no exporter, no parsing of trace headers, the shared no-op spans above. */
export class DisabledTracing extends Tracing {
  readonly enabled = false;

  parentFromHandshake(): TraceParent | null {
    return null;
  }

  parentFromHeaders(): TraceParent | null {
    return null;
  }

  startSession(): SessionSpan {
    return NOOP_SESSION_SPAN;
  }

  startSynthesis(): SynthesisSpan {
    return NOOP_SYNTHESIS_SPAN;
  }

  startRecognition(): RecognitionSpan {
    return NOOP_RECOGNITION_SPAN;
  }

  flush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** One disabled Tracing is enough for a whole process (and for code built without TracingModule). */
export const DISABLED_TRACING: Tracing = new DisabledTracing();
