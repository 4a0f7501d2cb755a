import { validateEnv } from '../config/validate-env';
import { poolsOptionsFromConfig } from './pools-options-from-config';

describe('poolsOptionsFromConfig', () => {
  it('maps every pool and speech setting, in ms and bytes', () => {
    const config = validateEnv({
      SPEECH_POOL_TTS_WARM_SIZE: '3',
      SPEECH_POOL_WARM_MAX: '6',
      SPEECH_POOL_STT_MAX_SIZE: '8',
      SPEECH_POOL_TRIM_IDLE: '45',
      SPEECH_TTS_STALL_TIMEOUT: '4',
      SPEECH_TTS_MAX_AUDIO_DURATION: '120',
      SPEECH_TTS_MAX_AUDIO_SIZE: '16',
      SPEECH_TTS_VOICE: 'de-DE-KatjaNeural',
      SPEECH_STT_LANGUAGE: 'de-DE',
    });
    const observerFor = jest.fn();
    expect(poolsOptionsFromConfig(config, observerFor)).toEqual({
      tts: {
        warmSize: 3,
        warmMax: 6,
        maxSize: 64,
        voice: 'de-DE-KatjaNeural',
        maxAudioMs: 120_000,
        maxAudioBytes: 16 * 1024 * 1024,
      },
      stt: { warmSize: 2, warmMax: 6, maxSize: 8, language: 'de-DE' },
      sessionAwareness: true,
      warmupIntervalMs: 30_000,
      sessionMaxAgeMs: 1_800_000,
      acquireTimeoutMs: 5_000,
      maxIdleMs: 240_000,
      trimIdleMs: 45_000,
      synthesisTimeoutMs: 4_000,
      observerFor,
    });
  });
});
