import type { SpeechTransport } from '../metrics/speech-metrics';
import type { WireFormat } from '../speech/audio-format';
import type { SessionSpan, TraceParent } from '../tracing/tracing';
import type { AudioSink } from './audio-sink';
import type { StreamedTextLimits, StreamTimers } from './streamed-text';

/** Where a synthesis gets its synthesizer. */
export type LeaseKind =
  /** A voice session's own: kept between its requests (DEDICATED) when the pools are session-aware. */
  | { readonly kind: 'session'; readonly sessionId: string }
  /** One loan from the pool for this request alone (WARM, else COLD). */
  | { readonly kind: 'request' };

export const REQUEST_LEASE: LeaseKind = Object.freeze({ kind: 'request' });

/** What every synthesis order carries besides what is spoken. */
interface OrderBase {
  /** Which transport the request came in on (the metrics' `transport` label). */
  transport: SpeechTransport;
  /** Default: the service's voice (SPEECH_TTS_VOICE). */
  voice?: string;
  format: WireFormat;
  /** Speaking rate for text (1 = normal), spoken as SSML prosody rate (clamped to what voices accept). */
  speed?: number;
  /** An Azure speaking style for text, one the voice has (`<mstts:express-as style>`). */
  style?: string;
  /** What the client called the text field (`text`, OpenAI's `input`), for error messages. Default `text`. */
  textField?: string;
  /** The client's id for the request; default: a new UUID. */
  requestId?: string;
  /** Hand each word's timing to the sink as it arrives (`AudioSink.word`). */
  words?: boolean;
  lease: LeaseKind;
  /** The sink for the request's audio and answer, made once its id is known. */
  sink: (requestId: string) => AudioSink;
  /** Back-pressure: past this many bytes waiting in the sink, the synthesis is aborted (RATE_LIMITED). */
  maxBufferedBytes: number;
  /** The trace parent of the request's span: the voice session's span, or the caller's trace context. */
  parent: SessionSpan | TraceParent | null;
  /** Aborts the synthesis (the client canceled or went away); its reason says how it is answered. */
  signal?: AbortSignal;
}

/** One utterance whose text arrives piece by piece (`tts.stream.*`). */
export interface StreamOrder extends OrderBase {
  limits: StreamedTextLimits;
  /** Default: real timers. */
  timers?: StreamTimers;
}

/** What a transport hands the synthesis service: what the client asked for, and where the answer goes. */
export interface SynthesisOrder extends OrderBase {
  /** Exactly one of `text` and `ssml` (the transport's schema says so). */
  text?: string;
  ssml?: string;
}
