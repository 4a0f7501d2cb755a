import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { TokenCredential } from '@azure/identity';
import type {
  AppConfig,
  EntraConfig,
  FailoverConfig,
  ProxyConfig,
  SpeechTarget as ConfiguredTarget,
} from '../config/app-config';

/**
 * Where speech comes from, as configured: Azure by key and region, any Speech-protocol host, or `emulator`, which
 * starts the built-in speech emulator in-process on a free loopback port.
 */
export type UpstreamTarget = ConfiguredTarget;

export interface UpstreamOptions {
  /** The primary upstream. */
  target: UpstreamTarget;
  /** Further upstreams in priority order, used while the ones before them refuse connections. */
  fallbacks?: UpstreamTarget[];
  /** Entra ID instead of keys; `credential` defaults to `DefaultAzureCredential`. */
  entra?: EntraConfig & { credential?: TokenCredential };
  /** HTTPS_PROXY / NO_PROXY for the Speech connections and the voice list. */
  proxy?: ProxyConfig | null;
  failover?: FailoverConfig;
  /** The voice the start-up credential check speaks with (the default synthesis voice). */
  voice: string;
  /** Longest wait for a connection (the credential check) or the voice list. */
  connectTimeoutMs?: number;
}

export const { ConfigurableModuleClass: UpstreamConfigurableModule, MODULE_OPTIONS_TOKEN: UPSTREAM_OPTIONS } =
  new ConfigurableModuleBuilder<UpstreamOptions>().setClassMethodName('forRoot').build();

/** UpstreamModule options from the validated environment. */
export function upstreamOptionsFromConfig(config: AppConfig): UpstreamOptions {
  const { target, fallbacks, entra, proxy, failover } = config.speech;
  return {
    target,
    fallbacks,
    ...(entra === null ? {} : { entra }),
    proxy,
    failover,
    voice: config.speech.ttsVoice,
  };
}
