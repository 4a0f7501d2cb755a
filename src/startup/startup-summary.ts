import type { AppConfig, PoolSizeConfig } from '../config/app-config';
import { describeEmulatorVoice, type SpeechEndpoint } from '../upstream/speech-endpoint';
import { describeSpeechTarget } from '../speech/speech-target';

export interface StartupSummary {
  message: string;
  fields: {
    url: string;
    upstream: string;
    emulatorVoice: 'espeak' | 'synthetic' | null;
    pools: { tts: PoolSizeConfig; stt: PoolSizeConfig };
    auth: 'api-keys' | 'loopback-only';
  };
}

/**
 * The one line that says the service is ready and how it runs: where to reach it (the demo, the dashboard), which
 * upstream it speaks to (and, for the built-in emulator, with which voice), the pool sizes, and who may connect.
 */
export function startupSummary(config: AppConfig, endpoint: SpeechEndpoint, port: number): StartupSummary {
  const url = `http://localhost:${port}`;
  // Several upstreams read in priority order; Entra ID is named, a key never is.
  const upstream =
    endpoint.upstreamSet.upstreams.map(({ target }) => describeSpeechTarget(target)).join(', then ') +
    (endpoint.tokens ? ' with Entra ID' : '');
  const voice =
    endpoint.emulatorVoice === undefined ? '' : ` (${describeEmulatorVoice(endpoint.emulatorVoice)})`;
  const { tts, stt } = config.pools;
  const size = (p: PoolSizeConfig) => `warm ${p.warmSize}-${p.warmMax}, max ${p.maxSize}`;
  const keys = config.voice.apiKeys.length;
  const auth =
    keys > 0
      ? `${keys} API key${keys === 1 ? '' : 's'} (VOICE_API_KEYS)`
      : 'loopback clients only (VOICE_API_KEYS unset)';
  return {
    message:
      `warmline ready at ${url} (dashboard: ${url}/dashboard); upstream: ${upstream}${voice}; ` +
      `pools: tts ${size(tts)}, stt ${size(stt)}; voice clients: ${auth}`,
    fields: {
      url,
      upstream,
      emulatorVoice: endpoint.emulatorVoice ?? null,
      pools: { tts, stt },
      auth: keys > 0 ? 'api-keys' : 'loopback-only',
    },
  };
}
