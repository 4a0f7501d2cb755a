import { Module } from '@nestjs/common';
import { VoiceGateway } from './voice.gateway';
import { VoiceMetrics } from './voice-metrics';
import {
  VOICE_MODULE_OPTIONS,
  VOICE_SETTINGS,
  VoiceConfigurableModule,
  resolveVoiceSettings,
} from './voice-options';
import { VoiceSessions } from './voice-sessions';

/**
 * The voice gateway (`/voice`). Needs PoolsModule (TTS_POOL, STT_POOL, POOLS_MODULE_OPTIONS); uses ShutdownState
 * and METRICS_REGISTRY when LifecycleModule / MetricsModule are present. The application must create its
 * Socket.IO server through VoiceIoAdapter. Configure with `VoiceModule.forRoot({ apiKeys, corsOrigins,
 * sessionResumeGraceMs })` or `forRootAsync({ inject: [APP_CONFIG], useFactory: (c: AppConfig) => c.voice })`.
 */
@Module({
  providers: [
    { provide: VOICE_SETTINGS, inject: [VOICE_MODULE_OPTIONS], useFactory: resolveVoiceSettings },
    VoiceMetrics,
    VoiceSessions,
    VoiceGateway,
  ],
  exports: [VOICE_SETTINGS, VoiceSessions],
})
export class VoiceModule extends VoiceConfigurableModule {}
