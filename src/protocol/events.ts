import type { CancelAck, StreamStartAck, SttStartAck, SttStopAck, SynthesisAck } from './acks';
import type {
  SttStartPayload,
  SttStopPayload,
  TtsCancelPayload,
  TtsStreamEndPayload,
  TtsStreamStartPayload,
  TtsStreamTextPayload,
  TtsSynthesizePayload,
} from './client-payloads';
import type {
  ErrorEvent,
  SessionDisplaced,
  SessionMoving,
  SessionReady,
  SttFinal,
  SttPartial,
  TtsAudio,
  TtsWord,
} from './server-events';

/** The events a client may send; the server refuses any other. */
export const CLIENT_EVENTS = [
  'tts.synthesize',
  'tts.cancel',
  'tts.stream.start',
  'tts.stream.text',
  'tts.stream.end',
  'stt.start',
  'stt.audio',
  'stt.stop',
] as const;
export type ClientEvent = (typeof CLIENT_EVENTS)[number];

/** The events the server sends. */
export const SERVER_EVENTS = [
  'session.ready',
  'session.moving',
  'session.displaced',
  'tts.audio',
  'tts.word',
  'stt.partial',
  'stt.final',
  'error',
] as const;
export type ServerEvent = (typeof SERVER_EVENTS)[number];

/** Server → client, as Socket.IO's typed-events map (a client socket is `Socket<VoiceServerEvents, VoiceClientEvents>`). */
export interface VoiceServerEvents {
  'session.ready': (payload: SessionReady) => void;
  'session.moving': (payload: SessionMoving) => void;
  'session.displaced': (payload: SessionDisplaced) => void;
  'tts.audio': (payload: TtsAudio) => void;
  'tts.word': (payload: TtsWord) => void;
  'stt.partial': (payload: SttPartial) => void;
  'stt.final': (payload: SttFinal) => void;
  error: (payload: ErrorEvent) => void;
}

/** Client → server, each request answered through its acknowledgement callback (`stt.audio` has none). */
export interface VoiceClientEvents {
  'tts.synthesize': (payload: TtsSynthesizePayload, ack: (answer: SynthesisAck) => void) => void;
  'tts.cancel': (payload: TtsCancelPayload, ack: (answer: CancelAck) => void) => void;
  'tts.stream.start': (payload: TtsStreamStartPayload, ack: (answer: StreamStartAck) => void) => void;
  /** One piece of a stream's text; problems come back as `error` events naming the stream. */
  'tts.stream.text': (payload: TtsStreamTextPayload) => void;
  'tts.stream.end': (payload: TtsStreamEndPayload, ack: (answer: SynthesisAck) => void) => void;
  'stt.start': (payload: SttStartPayload, ack: (answer: SttStartAck) => void) => void;
  /** 16-bit little-endian mono PCM at the rate `stt.start` declared. */
  'stt.audio': (frame: ArrayBuffer | ArrayBufferView) => void;
  'stt.stop': (payload: SttStopPayload, ack: (answer: SttStopAck) => void) => void;
}
