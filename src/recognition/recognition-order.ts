import type { SpeechTransport } from '../metrics/speech-metrics';
import type { SessionSpan, TraceParent } from '../tracing/tracing';
import type { SttResultSink } from './stt-result-sink';

/** What a transport hands the recognition service: what the client asked for, and where results go. */
export interface RecognitionOrder {
  /** Which transport the recognition came in on (the metrics' `transport` label). */
  transport: SpeechTransport;
  /** The client's id for the recognition; default: a new UUID. */
  requestId?: string;
  /** A locale; default: the service's language (SPEECH_STT_LANGUAGE). */
  language?: string;
  /** Of the PCM the client sends; default 16 kHz. */
  sampleRate?: number;
  sink: SttResultSink;
  /** The trace parent of the recognition's span: the voice session's span, or the caller's trace context. */
  parent: SessionSpan | TraceParent | null;
}

/** A recognition fed by the client as it speaks (Socket.IO `stt.audio`). */
export interface StreamedRecognitionOrder extends RecognitionOrder {
  /** Audio accepted while the recognizer is still being acquired and started. */
  maxEarlyAudioBytes: number;
}

/** A recognition of audio that arrives as a whole (an HTTP upload), PCM at `sampleRate`. */
export interface UploadRecognitionOrder extends RecognitionOrder {
  audio: AsyncIterable<Buffer>;
  /** Stops the audio's source (reading the upload) when shutdown stops the recognition. */
  stopInput?: (reason: Error) => void;
}
