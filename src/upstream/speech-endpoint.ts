import { Logger } from '@nestjs/common';
import { DefaultAzureCredential } from '@azure/identity';
import { startEmulator, type EmulatorLogger } from '../emulator';
import { describeSpeechTarget, type SpeechTarget } from '../speech/speech-target';
import { EntraTokenSource } from './entra/entra-token-source';
import { UpstreamSet } from './failover/upstream-set';
import { proxyFor } from './proxy-settings';
import type { UpstreamOptions, UpstreamTarget } from './upstream-options';

/** The resolved upstream, plus how to release it (the embedded emulator is ours to stop). */
export interface SpeechEndpoint {
  /** The primary upstream, with its credential and proxy. */
  target: SpeechTarget;
  /** Every upstream in priority order (the primary first) behind its circuit: where the pools make new clients. */
  upstreamSet: UpstreamSet;
  /** The Entra ID tokens every client uses (AZURE_SPEECH_AUTH=entra); absent on keys. */
  tokens?: EntraTokenSource;
  /** Set when the upstream is the embedded emulator: what its speech sounds like. */
  emulatorVoice?: 'espeak' | 'synthetic';
  close(): Promise<void>;
}

/** The emulator's log lines through the application's logger, its fields kept as fields. */
function emulatorLogger(logger: Logger): EmulatorLogger {
  const fields = (msg: string, extra?: Record<string, unknown>) => ({ ...extra, msg: `emulator: ${msg}` });
  return {
    debug: (msg, extra) => logger.debug(fields(msg, extra)),
    info: (msg, extra) => logger.log(fields(msg, extra)),
    warn: (msg, extra) => logger.warn(fields(msg, extra)),
  };
}

export function describeEmulatorVoice(voice: 'espeak' | 'synthetic'): string {
  return voice === 'espeak' ? 'espeak-ng voice' : 'synthetic voice (install espeak-ng for real speech)';
}

/**
 * Resolves the configured upstreams: each gets its proxy (unless NO_PROXY exempts it) and, on Entra ID, the one
 * token source every client shares, whose first token is fetched here (a failure is logged and retried: start-up
 * goes on with readiness down). No Azure settings at all start the embedded emulator.
 */
export async function openSpeechEndpoint(options: UpstreamOptions, logger: Logger): Promise<SpeechEndpoint> {
  const configured = [options.target, ...(options.fallbacks ?? [])];
  if (options.target.kind === 'emulator') return openEmbeddedEmulator(logger);
  let tokens: EntraTokenSource | undefined;
  if (options.entra) {
    tokens = new EntraTokenSource({
      credential: options.entra.credential ?? new DefaultAzureCredential(),
      resourceId: options.entra.resourceId,
      refreshSkewMs: options.entra.refreshSkewMs,
      logger: { log: (message) => logger.log(message), warn: (message) => logger.warn(message) },
    });
    await tokens.start();
  }
  const upstreams = configured
    .filter((target): target is Exclude<UpstreamTarget, { kind: 'emulator' }> => target.kind !== 'emulator')
    .map((target): SpeechTarget => {
      const proxy = proxyFor(target, options.proxy);
      return { ...target, ...(tokens ? { tokens } : {}), ...(proxy ? { proxy } : {}) };
    });
  const [primary] = upstreams;
  if (primary === undefined) throw new Error('no speech upstream configured');
  for (const target of upstreams) {
    const via = target.proxy ? ` through the proxy ${target.proxy.host}:${target.proxy.port}` : '';
    const auth = tokens ? ' with Entra ID tokens' : target.key ? ' with a key' : ' without a credential';
    logger.debug(`speech clients connect to ${describeSpeechTarget(target)}${auth}${via}`);
  }
  const failover = options.failover ?? { threshold: 3, cooldownMs: 30_000 };
  return {
    target: primary,
    upstreamSet: new UpstreamSet(upstreams, { ...failover, logger }),
    tokens,
    close: () => {
      tokens?.stop();
      return Promise.resolve();
    },
  };
}

async function openEmbeddedEmulator(logger: Logger): Promise<SpeechEndpoint> {
  const emulator = await startEmulator({ port: 0, host: '127.0.0.1', logger: emulatorLogger(logger) });
  const resolved: SpeechTarget = { kind: 'host', url: emulator.url, key: 'emulator', embeddedEmulator: true };
  logger.warn(
    `no Azure settings (AZURE_SPEECH_KEY + AZURE_SPEECH_REGION, or AZURE_SPEECH_HOST): speech comes from the ` +
      `built-in emulator at ${emulator.url} with its ${describeEmulatorVoice(emulator.voice)}, not from Azure`,
  );
  return {
    target: resolved,
    upstreamSet: new UpstreamSet([resolved], { threshold: 1, cooldownMs: 1 }),
    emulatorVoice: emulator.voice,
    close: () => emulator.close(),
  };
}
