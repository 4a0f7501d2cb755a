import { Module } from '@nestjs/common';
import { LifecycleModule } from '../lifecycle/lifecycle.module';
import { SpeechMetricsModule } from '../metrics/speech-metrics.module';
import { RecognitionService } from './recognition.service';

/**
 * The recognition service for every transport. Needs SpeechPoolsModule (STT_POOL, POOLS_MODULE_OPTIONS); uses
 * Tracing when present. Brings LifecycleModule (shutdown state, work tracker)
 * and SpeechMetricsModule (on METRICS_REGISTRY when present).
 */
@Module({
  imports: [LifecycleModule, SpeechMetricsModule],
  providers: [RecognitionService],
  exports: [RecognitionService],
})
export class RecognitionModule {}
