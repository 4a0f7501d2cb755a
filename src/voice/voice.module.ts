import { Module, type DynamicModule } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.token';
import { FLEET_SESSIONS } from '../fleet/fleet-tokens';
import { SINGLE_PROCESS, type SessionFleet } from '../fleet/sessions/session-fleet';
import { RecognitionModule } from '../recognition/recognition.module';
import { SynthesisModule } from '../synthesis/synthesis.module';
import { SocketAnswers } from './socket-answers';
import { VoiceGateway } from './voice.gateway';
import { VoiceMetrics } from './voice-metrics';
import {
  VOICE_FLEET,
  VOICE_MODULE_OPTIONS,
  VOICE_SETTINGS,
  VoiceConfigurableModule,
  resolveVoiceSettings,
} from './voice-options';
import { VoiceSessions } from './voice-sessions';

/**
 * The voice gateway (`/voice`) on the synthesis and recognition services. Needs SpeechPoolsModule (TTS_POOL,
 * STT_POOL, POOLS_MODULE_OPTIONS); uses METRICS_REGISTRY, Tracing and the fleet's sessions (FLEET_SESSIONS) when
 * their modules are present. The application must create its Socket.IO server through VoiceIoAdapter. Configure
 * with `VoiceModule.forRoot({ apiKeys, corsOrigins, sessionResumeGraceMs })`, or from the validated environment
 * with `VoiceModule.fromAppConfig()`.
 */
@Module({
  imports: [SynthesisModule, RecognitionModule],
  providers: [
    { provide: VOICE_SETTINGS, inject: [VOICE_MODULE_OPTIONS], useFactory: resolveVoiceSettings },
    {
      provide: VOICE_FLEET,
      inject: [{ token: FLEET_SESSIONS, optional: true }],
      useFactory: (fleet?: SessionFleet): SessionFleet => fleet ?? SINGLE_PROCESS,
    },
    VoiceMetrics,
    SocketAnswers,
    VoiceSessions,
    VoiceGateway,
  ],
  exports: [VOICE_SETTINGS, VoiceSessions],
})
export class VoiceModule extends VoiceConfigurableModule {
  /**
   * Configured from AppConfig's `voice` section: VOICE_API_KEYS, CORS_ORIGINS, SESSION_RESUME_GRACE,
   * VOICE_DRAIN_TIMEOUT and the VOICE_* limits (rates, bursts, queue length, buffer bounds).
   */
  static fromAppConfig(): DynamicModule {
    return VoiceModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => config.voice,
    });
  }
}
