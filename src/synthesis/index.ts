/**
 * The one synthesis path, shared by every transport: input checks (characters, SSML, voices, audio estimate),
 * SynthesisJob with its two collaborators (a SynthesizerLease and an AudioSink), typed abort reasons and error
 * bodies.
 */
export {
  CANCELED,
  DISCONNECTED,
  SESSION_ENDED,
  SHUTTING_DOWN,
  isAbortReason,
  replyFor,
  slowReader,
  untilAborted,
  type AbortReason,
  type AbortReply,
} from './abort-reason';
export type { AudioSink, SynthesisProgress, SynthesisResult } from './audio-sink';
export {
  DEFAULT_AUDIO_LIMITS,
  bytesPerMs,
  checkEstimatedAudio,
  maxAudioBytesFor,
  type AudioLimits,
} from './audio-limits';
export {
  MAX_ERROR_MESSAGE_CHARS,
  badRequest,
  capMessage,
  describeZodError,
  rateLimited,
  shuttingDown,
  toErrorBody,
  type ErrorBody,
} from './error-body';
export { PooledSynthesizerLease } from './pooled-synthesizer-lease';
export {
  MAX_SSML_BYTES,
  analyzeSsml,
  estimateTextMs,
  type SsmlAnalysis,
  type SsmlCheck,
} from './ssml-analysis';
export { SynthesisJob, type SynthesisJobLimits, type SynthesisJobRequest } from './synthesis-job';
export { prepareSsml, type InputChecks, type SynthesisInput } from './synthesis-input';
export type { LeasedSynthesizer, SynthesisEnd, SynthesizerLease } from './synthesizer-lease';
export { findIllegalXmlCharacter, illegalCharacterProblem, type IllegalCharacter } from './xml-characters';
