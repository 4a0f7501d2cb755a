/** The one recognition path, shared by every transport. */
export { SttStream, type SttStreamOptions } from './stt-stream';
export type { SttResultSink } from './stt-result-sink';
