import { Global, Module } from '@nestjs/common';
import { ShutdownState } from './shutdown-state';

/** Global: health, the voice gateway and the pools all need to know whether shutdown has begun. */
@Global()
@Module({ providers: [ShutdownState], exports: [ShutdownState] })
export class LifecycleModule {}
