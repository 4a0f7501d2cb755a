import { Module } from '@nestjs/common';
import { SpeechMetrics } from './speech-metrics';

/**
 * One SpeechMetrics for the synthesis and the recognition service (Nest makes one instance of a module however
 * often it is imported). Uses METRICS_REGISTRY when present (MetricsModule is global).
 */
@Module({ providers: [SpeechMetrics], exports: [SpeechMetrics] })
export class SpeechMetricsModule {}
