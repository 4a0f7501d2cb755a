import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { AppConfig, SpeechTarget as ConfiguredTarget } from '../config/app-config';

/**
 * Where speech comes from, as configured: Azure by key and region, any Speech-protocol host, or `emulator`, which
 * starts the built-in speech emulator in-process on a free loopback port.
 */
export type UpstreamTarget = ConfiguredTarget;

export interface UpstreamOptions {
  target: UpstreamTarget;
  /** The voice the start-up credential check speaks with (the default synthesis voice). */
  voice: string;
  /** Longest wait for a connection (the credential check) or the voice list. */
  connectTimeoutMs?: number;
}

export const { ConfigurableModuleClass: UpstreamConfigurableModule, MODULE_OPTIONS_TOKEN: UPSTREAM_OPTIONS } =
  new ConfigurableModuleBuilder<UpstreamOptions>().setClassMethodName('forRoot').build();

/** UpstreamModule options from the validated environment. */
export function upstreamOptionsFromConfig(config: AppConfig): UpstreamOptions {
  return { target: config.speech.target, voice: config.speech.ttsVoice };
}
