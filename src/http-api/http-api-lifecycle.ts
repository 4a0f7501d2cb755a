import { Inject, Injectable, type BeforeApplicationShutdown, type OnModuleDestroy } from '@nestjs/common';
import { ShutdownSequence } from '../lifecycle/shutdown-sequence';
import { HTTP_API_SETTINGS, type HttpApiSettings } from './http-api-options';

/**
 * Shutdown of the HTTP speech API, by the one shutdown sequence the voice gateway uses too: from the moment
 * shutdown begins new requests get SHUTTING_DOWN (503, Retry-After); requests in flight may finish within the
 * drain time; what is still running then is stopped (SHUTTING_DOWN where the answer has not started) before the
 * pools shut down.
 */
@Injectable()
export class HttpApiLifecycle implements OnModuleDestroy, BeforeApplicationShutdown {
  constructor(
    private readonly sequence: ShutdownSequence,
    @Inject(HTTP_API_SETTINGS) private readonly settings: HttpApiSettings,
  ) {}

  onModuleDestroy(): Promise<void> {
    return this.sequence.drain(this.settings.drainTimeoutMs);
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.sequence.stop();
  }
}
