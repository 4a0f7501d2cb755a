/** The voice gateway (CONTRACT §5). */
export { VoiceModule } from './voice.module';
export { VoiceIoAdapter, voiceServerOptions } from './voice-io.adapter';
export {
  DEFAULT_VOICE_LIMITS,
  VOICE_SETTINGS,
  resolveVoiceSettings,
  type VoiceLimits,
  type VoiceModuleOptions,
  type VoiceSettings,
} from './voice-options';
export { VoiceSessions } from './voice-sessions';
export type { SynthesisAck, SynthesisCanceledAck, SynthesisDoneAck } from './tts-synthesis-job';
export type { FailedAck, VoiceErrorBody } from './voice-errors';
