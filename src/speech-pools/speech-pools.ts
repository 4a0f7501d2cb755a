import { WarmableResourcePool } from '../pools';
import { SttClient } from '../speech/stt-client';
import { TtsClient } from '../speech/tts-client';
import type { SpeechTarget } from '../speech/speech-target';
import { UpstreamSet } from '../upstream/failover/upstream-set';
import { RECOGNIZER_SAMPLE_RATE } from '../speech/audio-format';
import type { PoolsModuleOptions } from './pools-module-options';
import { UpstreamPlacement } from './upstream-placement';

type Disposable = { dispose(): Promise<void> };

/** Creates a client and opens its socket; a client whose socket never came up is closed, not leaked. */
async function connected<T extends Disposable & { warm(): Promise<boolean> }>(client: T): Promise<T> {
  try {
    await client.warm();
    return client;
  } catch (error) {
    await client.dispose();
    throw error;
  }
}

/**
 * Creating a replacement client is a few ms of synchronous SDK work; run at once, it lands on the acquirer's own
 * request (measured: +3 ms to the first byte of a WARM request). Waiting this long lets that request reach the
 * upstream first; next to a ~200 ms connection set-up it barely delays the refill.
 */
const REFILL_DELAY_MS = 25;

/** One target is a set of one, whose circuit never matters: there is nowhere else to go. */
function upstreamSet(where: SpeechTarget | UpstreamSet): UpstreamSet {
  return where instanceof UpstreamSet ? where : new UpstreamSet([where], { threshold: 1, cooldownMs: 1 });
}

function common(options: PoolsModuleOptions, name: 'tts' | 'stt', placement: UpstreamPlacement<object>) {
  return {
    upstreams: () => placement.shares(),
    name,
    refillDelayMs: REFILL_DELAY_MS,
    enableBackgroundWarmup: true,
    warmupIntervalMs: options.warmupIntervalMs,
    maxIdleMs: options.maxIdleMs,
    trimIdleMs: options.trimIdleMs,
    acquireTimeoutMs: options.acquireTimeoutMs,
    observer: options.observerFor?.(name),
    creationGate: options.gateFor?.(name),
  };
}

/**
 * TTS: reusable synthesizers. The factory connects (so a refusing upstream shows as factory failures, backoff and
 * readiness down); the pool then runs warmFn on background-created and long-idle clients, which on a connected
 * client speaks a one-character utterance: the voice is loaded and the upstream's idle timer restarts. Clients
 * that sessions give back stay warm up to `warmMax`, so short sessions reuse connections instead of opening new
 * ones (each costs a TLS + websocket upgrade and counts against the resource's connection limits).
 */
export function createTtsPool(
  options: PoolsModuleOptions,
  where: SpeechTarget | UpstreamSet,
): WarmableResourcePool<TtsClient> {
  const placement = new UpstreamPlacement<TtsClient>(upstreamSet(where));
  const make = (target: SpeechTarget): TtsClient =>
    new TtsClient({
      target,
      defaultVoice: options.tts.voice,
      synthesisTimeoutMs: options.synthesisTimeoutMs,
      connectTimeoutMs: options.connectTimeoutMs,
      maxAudioBytes: options.tts.maxAudioBytes,
      maxTurns: options.tts.maxTurns,
    });
  return new WarmableResourcePool<TtsClient>({
    ...common(options, 'tts', placement),
    // async: a client that cannot be made (no valid token) rejects like one that cannot connect.
    factory: () => placement.create(async (target) => connected(make(target))),
    warmFn: (client) => client.warm(),
    destroy: (client) => {
      placement.destroyed(client);
      return client.dispose();
    },
    // A worn-out synthesizer (see MAX_TURNS_PER_SYNTHESIZER) is replaced like an invalid one.
    validate: (client) => client.isReady() && !client.wornOut && placement.isPreferred(client),
    reusable: true,
    warmPoolSize: options.tts.warmSize,
    warmMaxSize: options.tts.warmMax,
    maxSize: options.tts.maxSize,
    sessionAwareness: options.sessionAwareness,
    sessionMaxAgeMs: options.sessionMaxAgeMs,
  });
}

/**
 * STT: single-use recognizers (an SDK recognizer cannot take a new audio stream), replaced in the background, so
 * every recognition opens one upstream connection. `warmMax` still bounds how many unused recognizers (e.g. from
 * an abandoned acquire) are kept.
 */
export function createSttPool(
  options: PoolsModuleOptions,
  where: SpeechTarget | UpstreamSet,
): WarmableResourcePool<SttClient> {
  const placement = new UpstreamPlacement<SttClient>(upstreamSet(where));
  return new WarmableResourcePool<SttClient>({
    ...common(options, 'stt', placement),
    factory: () =>
      placement.create(async (target) =>
        connected(createSttClient(options, target, options.stt.language, RECOGNIZER_SAMPLE_RATE)),
      ),
    warmFn: (client) => client.warm(),
    destroy: (client) => {
      placement.destroyed(client);
      return client.dispose();
    },
    validate: (client) => client.isReady() && placement.isPreferred(client),
    reusable: false,
    warmPoolSize: options.stt.warmSize,
    warmMaxSize: options.stt.warmMax,
    maxSize: options.stt.maxSize,
  });
}

export function createSttClient(
  options: PoolsModuleOptions,
  target: SpeechTarget,
  language: string,
  sampleRate: number,
): SttClient {
  return new SttClient({ target, language, sampleRate, connectTimeoutMs: options.connectTimeoutMs });
}
