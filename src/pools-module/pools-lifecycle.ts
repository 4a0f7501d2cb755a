import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import type { ResourcePool } from '../pools';
import { SpeechError } from '../speech/speech-error';
import { TtsClient } from '../speech/tts-client';
import type { VoiceCatalog } from '../speech/voice-catalog';
import { POOL_REGISTRY, VOICE_CATALOG } from './pool-tokens';
import { POOLS_MODULE_OPTIONS, type PoolsModuleOptions } from './pools-module-options';
import { SPEECH_ENDPOINT, type SpeechEndpoint } from './speech-endpoint';

/**
 * Fills the pools and loads the voice list at start, drains the pools at shutdown. Start-up fails loudly on
 * rejected credentials (nothing would ever work) but only warns when the upstream is unreachable: the pools keep
 * retrying with backoff and readiness stays down until they can create clients. A voice list that cannot be
 * loaded is a warning too: unknown voices are then left for the upstream to refuse.
 */
@Injectable()
export class PoolsLifecycle implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger('Pools');

  constructor(
    @Inject(POOLS_MODULE_OPTIONS) private readonly options: PoolsModuleOptions,
    @Inject(SPEECH_ENDPOINT) private readonly endpoint: SpeechEndpoint,
    @Inject(POOL_REGISTRY) private readonly pools: ReadonlyMap<string, ResourcePool<unknown>>,
    @Inject(VOICE_CATALOG) private readonly voices: VoiceCatalog,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.checkCredentials();
    const started = performance.now();
    await Promise.all([...[...this.pools.values()].map((pool) => pool.prepare()), this.loadVoices()]);
    const warm = [...this.pools.values()].map((p) => `${p.name} ${p.snapshot().warmPoolSize}`).join(', ');
    this.logger.log(`pools prepared in ${Math.round(performance.now() - started)} ms (warm: ${warm})`);
  }

  /** Runs after every onModuleDestroy (where readiness goes down and the gateway drains), so nothing is in use. */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all([...this.pools.values()].map((pool) => pool.shutdown()));
    const books = [...this.pools.values()].map((p) => {
      const m = p.snapshot().metrics;
      return `${p.name} created ${m.resourcesCreated} destroyed ${m.resourcesDestroyed}`;
    });
    this.logger.log(`pools shut down (${books.join('; ')})`);
    await this.endpoint.close();
  }

  private async loadVoices(): Promise<void> {
    const state = await this.voices.load();
    if (state.status === 'loaded') this.logger.log(`the speech service has ${state.voices} voices`);
    else if (state.status === 'unavailable') {
      this.logger.warn(
        `could not list the speech service's voices (${state.reason}); unknown voices are left for it to refuse`,
      );
    }
  }

  private async checkCredentials(): Promise<void> {
    const probe = new TtsClient({
      target: this.endpoint.target,
      defaultVoice: this.options.tts.voice,
      connectTimeoutMs: this.options.connectTimeoutMs,
    });
    try {
      await probe.warm();
    } catch (error) {
      if (error instanceof SpeechError && error.upstreamAuth) {
        throw new Error(`start-up aborted: ${error.message}`);
      }
      this.logger.warn(
        `speech service unreachable at start-up (${(error as Error).message}); starting with readiness down`,
      );
    } finally {
      await probe.dispose();
    }
  }
}
