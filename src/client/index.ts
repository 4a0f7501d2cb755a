/**
 * The typed client of the `/voice` API, shared by the CLI, the benchmarks, the tests and the demo page. Browser-safe:
 * socket.io-client and type-only imports of src/protocol (no Node APIs, no zod at run time).
 */
export { VoiceClient, type CancelResult, type RecognitionStart } from './voice-client';
export type { ConnectionState, VoiceClientOptions, VoiceConnectionEvents } from './voice-connection';
export { VoiceError, type ClientErrorCode, type VoiceErrorCode } from './voice-error';
export { SynthesisStream, type AudioChunk, type SynthesisOptions, type SynthesisResult } from './synthesis';
export { Recognition, type RecognitionHandlers } from './recognition';
export { SpeechStream, type SpeechStreamHandlers, type StreamStarted } from './speech-stream';
export type { VoiceSocket } from './requests';
