import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { SpeechError } from '../speech/speech-error';
import { TtsClient } from '../speech/tts-client';
import type { VoiceCatalog } from '../speech/voice-catalog';
import type { SpeechEndpoint } from './speech-endpoint';
import { UPSTREAM_OPTIONS, type UpstreamOptions } from './upstream-options';
import { SPEECH_ENDPOINT, VOICE_CATALOG } from './upstream-tokens';

/**
 * The upstream's start and stop. Start-up fails loudly on rejected credentials (nothing would ever work) but only
 * warns when the upstream is unreachable: the pools keep retrying with backoff and readiness stays down until they
 * can create clients. A voice list that cannot be loaded is a warning too: unknown voices are then left for the
 * upstream to refuse. The pools call `verifyCredentials` before they connect (see PoolsLifecycle); the endpoint
 * is released after every pool has closed its clients.
 */
@Injectable()
export class UpstreamLifecycle implements OnApplicationShutdown {
  private readonly logger = new Logger('Speech');
  private probeTimer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(UPSTREAM_OPTIONS) private readonly options: UpstreamOptions,
    @Inject(SPEECH_ENDPOINT) private readonly endpoint: SpeechEndpoint,
    @Inject(VOICE_CATALOG) private readonly voices: VoiceCatalog,
  ) {}

  /** One synthesizer connects and warms: a rejected key aborts start-up, an unreachable upstream only warns. */
  async verifyCredentials(): Promise<void> {
    const { tokens } = this.endpoint;
    if (tokens !== undefined && tokens.current() === null) {
      // The token source has said why; the pools retry and readiness stays down until it recovers.
      this.logger.warn('no Entra ID token at start-up: starting with readiness down');
      return;
    }
    const probe = new TtsClient({
      target: this.endpoint.target,
      defaultVoice: this.options.voice,
      connectTimeoutMs: this.options.connectTimeoutMs,
    });
    try {
      await probe.warm();
    } catch (error) {
      if (error instanceof SpeechError && error.upstreamAuth && tokens !== undefined) {
        // A token can start working without a restart (a role assignment takes minutes to apply).
        this.logger.warn(
          'the speech service refused the Entra ID token (HTTP 401/403): give the identity the Cognitive Services ' +
            'Speech User role on AZURE_SPEECH_RESOURCE_ID; starting with readiness down',
        );
        return;
      }
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

  async loadVoices(): Promise<void> {
    const state = await this.voices.load();
    if (state.status === 'loaded') this.logger.log(`the speech service has ${state.voices} voices`);
    else if (state.status === 'unavailable') {
      this.logger.warn(
        `could not list the speech service's voices (${state.reason}); unknown voices are left for it to refuse`,
      );
    }
  }

  /**
   * With several upstreams, an upstream skipped after repeated refusals is probed once its cool-down ends (one
   * synthesizer connects, then closes), so clients go back to it even while the pools create nothing.
   */
  startProbing(): void {
    const set = this.endpoint.upstreamSet;
    if (set.upstreams.length < 2 || this.probeTimer !== undefined) return;
    const every = Math.max(Math.min((this.options.failover?.cooldownMs ?? 30_000) / 4, 5_000), 100);
    this.probeTimer = setInterval(() => {
      for (const upstream of set.dueForProbe()) {
        void set.probe(upstream, async (target) => {
          const probe = new TtsClient({
            target,
            defaultVoice: this.options.voice,
            connectTimeoutMs: this.options.connectTimeoutMs,
          });
          try {
            await probe.warm();
          } finally {
            await probe.dispose();
          }
        });
      }
    }, every);
    this.probeTimer.unref();
  }

  /** Runs after every beforeApplicationShutdown, where the pools close their clients: nothing uses it any more. */
  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.probeTimer);
    await this.endpoint.close();
  }
}
