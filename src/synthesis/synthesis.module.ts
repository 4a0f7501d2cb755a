import { Module } from '@nestjs/common';
import { LifecycleModule } from '../lifecycle/lifecycle.module';
import { SynthesisService } from './synthesis.service';

/**
 * The synthesis service for every transport. Needs SpeechPoolsModule (TTS_POOL, POOLS_MODULE_OPTIONS); uses
 * VOICE_CATALOG (UpstreamModule) and Tracing when present. Brings LifecycleModule (shutdown state, work tracker).
 */
@Module({ imports: [LifecycleModule], providers: [SynthesisService], exports: [SynthesisService] })
export class SynthesisModule {}
