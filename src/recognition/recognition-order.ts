import type { RecognitionOptions } from '../speech/recognition-options';
import type { SpeechTransport } from '../metrics/speech-metrics';
import type { SessionSpan, TraceParent } from '../tracing/tracing';
import type { Clock } from '../pools/clock';
import type { ByteBudget } from './byte-budget';
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
  /**
   * Language candidates, phrase list, silences, profanity, word timings; validated by the transport. Candidates
   * (like a language or rate other than the defaults) need a recognizer made for them: that recognition is COLD.
   */
  options?: RecognitionOptions;
  sink: SttResultSink;
  /** The trace parent of the recognition's span: the voice session's span, or the caller's trace context. */
  parent: SessionSpan | TraceParent | null;
}

/** A recognition fed by the client as it speaks (Socket.IO `stt.audio`). */
export interface StreamedRecognitionOrder extends RecognitionOrder {
  /** Audio accepted while the recognizer is still being acquired and started. */
  maxEarlyAudioBytes: number;
  /** The process-wide bound on that audio, shared by every streamed recognition. */
  earlyAudioBudget?: ByteBudget;
  /** VOICE_STT_AUDIO_IDLE: a running recognition without audio for this long ends with TIMEOUT (0: never). */
  audioIdleMs?: number;
  /** The audio idle timer's clock; default: the system's. */
  clock?: Clock;
}

/** A recognition of audio that arrives as a whole (an HTTP upload), PCM at `sampleRate`. */
export interface UploadRecognitionOrder extends RecognitionOrder {
  audio: AsyncIterable<Buffer>;
  /** Stops the audio's source (reading the upload) when shutdown stops the recognition. */
  stopInput?: (reason: Error) => void;
}
