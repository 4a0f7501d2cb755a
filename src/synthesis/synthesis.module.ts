import { Module } from '@nestjs/common';
import { LifecycleModule } from '../lifecycle/lifecycle.module';
import { SpeechMetricsModule } from '../metrics/speech-metrics.module';
import { SynthesisService } from './synthesis.service';

/**
 * The synthesis service for every transport. Needs SpeechPoolsModule (TTS_POOL, POOLS_MODULE_OPTIONS); uses
 * VOICE_CATALOG (UpstreamModule) and Tracing when present. Brings LifecycleModule (shutdown state, work tracker)
 * and SpeechMetricsModule (on METRICS_REGISTRY when present).
 */
@Module({
  imports: [LifecycleModule, SpeechMetricsModule],
  providers: [SynthesisService],
  exports: [SynthesisService],
})
export class SynthesisModule {}
