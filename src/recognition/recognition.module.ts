import { Module } from '@nestjs/common';
import { LifecycleModule } from '../lifecycle/lifecycle.module';
import { RecognitionService } from './recognition.service';

/**
 * The recognition service for every transport. Needs SpeechPoolsModule (STT_POOL, POOLS_MODULE_OPTIONS); uses
 * Tracing when present. Brings LifecycleModule (shutdown state, work tracker).
 */
@Module({ imports: [LifecycleModule], providers: [RecognitionService], exports: [RecognitionService] })
export class RecognitionModule {}
