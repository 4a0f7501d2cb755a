import {
  Inject,
  Injectable,
  Logger,
  Optional,
  type BeforeApplicationShutdown,
  type OnModuleDestroy,
} from '@nestjs/common';
import { ShutdownState } from '../lifecycle/shutdown-state';
import { SHUTTING_DOWN } from '../synthesis/abort-reason';
import { HTTP_API_SETTINGS, type HttpApiSettings } from './http-api-options';
import { HttpWork } from './http-work';

/** Aborted work answers within this; then the pools may shut down. */
const ABORT_SETTLE_MS = 1_000;

/**
 * Shutdown of the HTTP speech API, in the same steps as the voice gateway's: from the moment shutdown begins new
 * requests get SHUTTING_DOWN (503, Retry-After); requests in flight may finish within the drain time; what is
 * still running then is stopped (SHUTTING_DOWN where the answer has not started) before the pools shut down.
 */
@Injectable()
export class HttpApiLifecycle implements OnModuleDestroy, BeforeApplicationShutdown {
  private readonly logger = new Logger('HttpApi');

  constructor(
    private readonly work: HttpWork,
    @Inject(HTTP_API_SETTINGS) private readonly settings: HttpApiSettings,
    @Optional() shutdown?: ShutdownState,
  ) {
    shutdown?.onShutdown(() => work.beginDraining());
  }

  async onModuleDestroy(): Promise<void> {
    this.work.beginDraining();
    if (this.work.size === 0) return;
    const started = performance.now();
    const drained = await this.work.drain(this.settings.drainTimeoutMs);
    const ms = Math.round(performance.now() - started);
    if (drained) this.logger.log(`HTTP speech requests drained in ${ms} ms`);
    else this.logger.warn(`HTTP speech requests still running after ${ms} ms; stopping them (SHUTTING_DOWN)`);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.work.beginDraining();
    this.work.abortAll(SHUTTING_DOWN);
    await this.work.drain(ABORT_SETTLE_MS);
  }
}
