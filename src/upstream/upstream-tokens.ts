/** SpeechEndpoint (./speech-endpoint.ts): the upstream the speech clients connect to, resolved at start-up. */
export const SPEECH_ENDPOINT = Symbol('SPEECH_ENDPOINT');
/** VoiceCatalog (src/speech/voice-catalog.ts): the upstream's voices, loaded at start-up. */
export const VOICE_CATALOG = Symbol('VOICE_CATALOG');
