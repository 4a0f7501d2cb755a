import { Global, Module } from '@nestjs/common';
import { ShutdownSequence } from './shutdown-sequence';
import { ShutdownState } from './shutdown-state';
import { WorkTracker } from './work-tracker';

/**
 * Global: health, the transports, the speech services and the pools all need to know whether shutdown has begun;
 * the speech work of every transport is tracked in one place, and drained and stopped by one sequence.
 */
@Global()
@Module({
  providers: [ShutdownState, WorkTracker, ShutdownSequence],
  exports: [ShutdownState, WorkTracker, ShutdownSequence],
})
export class LifecycleModule {}
