/** Injection tokens for the speech pools (values are ResourcePool<TtsClient> / ResourcePool<SttClient>). */
export const TTS_POOL = Symbol('TTS_POOL');
export const STT_POOL = Symbol('STT_POOL');
/** ReadonlyMap<'tts' | 'stt', ResourcePool<unknown>>: every pool by its public name, for health, REST and metrics. */
export const POOL_REGISTRY = Symbol('POOL_REGISTRY');
/** VoiceCatalog (src/speech/voice-catalog.ts): the upstream's voices, loaded at start-up. */
export const VOICE_CATALOG = Symbol('VOICE_CATALOG');
