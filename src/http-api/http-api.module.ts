import { Module, type DynamicModule, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.token';
import { HttpApiLifecycle } from './http-api-lifecycle';
import { HttpApiMetrics } from './http-api-metrics';
import {
  HTTP_API_MODULE_OPTIONS,
  HTTP_API_SETTINGS,
  HttpApiConfigurableModule,
  resolveHttpApiSettings,
  type HttpApiSettings,
  type HttpApiModuleOptions,
} from './http-api-options';
import { HttpRecognition } from './http-recognition';
import { HttpSynthesis } from './http-synthesis';
import { OpenAiAudioController } from './openai-audio.controller';
import { OpenAiCatalogController } from './openai-catalog.controller';
import { ProblemDetailsFilter } from './problem-details.filter';
import { SpeechController } from './speech.controller';
import { UploadMemoryBudget, UploadSpoolBudget } from './upload-memory-budget';
import { VoicesController } from './voices.controller';
import { RecognitionModule } from '../recognition/recognition.module';
import { SynthesisModule } from '../synthesis/synthesis.module';

/** The module's options from the validated environment. */
export function httpApiOptionsFromConfig(config: AppConfig): HttpApiModuleOptions {
  return {
    maxUploadBytes: config.http.maxUploadBytes,
    openaiVoices: config.http.openaiVoices,
    maxBufferedBytes: config.voice.limits.maxSendBufferBytes,
    drainTimeoutMs: config.voice.drainTimeoutMs,
    bodyIdleMs: config.http.bodyIdleMs,
    uploadMemoryBytes: config.http.uploadMemoryBytes,
    uploadSpoolBytes: config.http.uploadSpoolBytes,
  };
}

/**
 * The HTTP speech API: POST /api/v1/tts and /api/v1/stt, GET /api/v1/voices, and OpenAI's POST /v1/audio/speech and
 * /v1/audio/transcriptions, on the same synthesis and recognition services, limits and error codes as the
 * Socket.IO API. Needs AccessModule (keys, per-key budgets) and SpeechPoolsModule (TTS_POOL, STT_POOL, POOLS_MODULE_OPTIONS); uses UpstreamModule
 * (VOICE_CATALOG) when present. Configure with `HttpApiModule.forRoot({...})` or `HttpApiModule.fromAppConfig()`.
 */
@Module({
  imports: [SynthesisModule, RecognitionModule],
  controllers: [SpeechController, OpenAiAudioController, OpenAiCatalogController, VoicesController],
  providers: [
    { provide: HTTP_API_SETTINGS, inject: [HTTP_API_MODULE_OPTIONS], useFactory: resolveHttpApiSettings },
    {
      provide: UploadMemoryBudget,
      inject: [HTTP_API_SETTINGS],
      useFactory: (settings: HttpApiSettings) => new UploadMemoryBudget(settings.uploadMemoryBytes),
    },
    {
      provide: UploadSpoolBudget,
      inject: [HTTP_API_SETTINGS],
      useFactory: (settings: HttpApiSettings) => new UploadSpoolBudget(settings.uploadSpoolBytes),
    },
    HttpSynthesis,
    HttpRecognition,
    HttpApiLifecycle,
    { provide: APP_FILTER, useClass: ProblemDetailsFilter },
  ],
})
export class HttpApiModule extends HttpApiConfigurableModule implements NestModule {
  /** Every request to the API's routes is counted (warmline_http_requests_total), refusals included. */
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(HttpApiMetrics)
      .forRoutes(SpeechController, OpenAiAudioController, OpenAiCatalogController, VoicesController);
  }

  /** Configured from AppConfig (HTTP_MAX_UPLOAD, HTTP_BODY_IDLE, OPENAI_VOICE_MAP, ...). */
  static fromAppConfig(): DynamicModule {
    return HttpApiModule.forRootAsync({ inject: [APP_CONFIG], useFactory: httpApiOptionsFromConfig });
  }
}
