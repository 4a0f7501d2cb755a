/** The voice gateway (docs/protocol.md). */
export { VoiceModule } from './voice.module';
export { VoiceIoAdapter, voiceServerOptions } from './voice-io.adapter';
export {
  DEFAULT_VOICE_LIMITS,
  VOICE_CLOCK,
  VOICE_SETTINGS,
  resolveVoiceSettings,
  type VoiceLimits,
  type VoiceModuleOptions,
  type VoiceSettings,
} from './voice-options';
export { VoiceSessions } from './voice-sessions';
export type { SynthesisAck, SynthesisCanceledAck, SynthesisDoneAck } from './synthesis-acks';
export type { FailedAck, VoiceErrorBody } from './voice-errors';
