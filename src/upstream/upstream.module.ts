import { Global, Logger, Module } from '@nestjs/common';
import { VoiceCatalog } from '../speech/voice-catalog';
import { openSpeechEndpoint, type SpeechEndpoint } from './speech-endpoint';
import { UpstreamLifecycle } from './upstream-lifecycle';
import { UPSTREAM_OPTIONS, UpstreamConfigurableModule, type UpstreamOptions } from './upstream-options';
import { SPEECH_ENDPOINT, VOICE_CATALOG } from './upstream-tokens';

/**
 * Which speech service warmline talks to: the resolved endpoint (`SPEECH_ENDPOINT`; the embedded emulator when no
 * Azure settings are given), the credential check at start, and the service's voices (`VOICE_CATALOG`).
 */
@Global()
@Module({
  providers: [
    {
      provide: SPEECH_ENDPOINT,
      inject: [UPSTREAM_OPTIONS],
      useFactory: (options: UpstreamOptions) => openSpeechEndpoint(options, new Logger('Speech')),
    },
    {
      provide: VOICE_CATALOG,
      inject: [UPSTREAM_OPTIONS, SPEECH_ENDPOINT],
      useFactory: (options: UpstreamOptions, endpoint: SpeechEndpoint) =>
        new VoiceCatalog({ target: endpoint.target, timeoutMs: options.connectTimeoutMs }),
    },
    UpstreamLifecycle,
  ],
  exports: [SPEECH_ENDPOINT, VOICE_CATALOG, UpstreamLifecycle],
})
export class UpstreamModule extends UpstreamConfigurableModule {}
