import { validateEnv } from '../config/validate-env';
import { UpstreamSet } from '../upstream/failover/upstream-set';
import { startupSummary } from './startup-summary';

describe('startupSummary', () => {
  it('names the URL, the emulator and its voice, the pool sizes and the auth mode', () => {
    const config = validateEnv({ SPEECH_POOL_STT_MAX_SIZE: '1' });
    const target = {
      kind: 'host',
      url: 'ws://127.0.0.1:4000',
      key: 'emulator',
      embeddedEmulator: true,
    } as const;
    const endpoint = {
      target,
      emulatorVoice: 'synthetic',
      upstreamSet: new UpstreamSet([target], { threshold: 1, cooldownMs: 1 }),
      close: () => Promise.resolve(),
    } as const;
    expect(startupSummary(config, endpoint, 3000)).toEqual({
      message:
        'warmline ready at http://localhost:3000 (dashboard: http://localhost:3000/dashboard); upstream: embedded speech emulator at ws://127.0.0.1:4000 ' +
        '(synthetic voice (install espeak-ng for real speech)); pools: tts warm 2-4, max 64, stt warm 1-1, max 1; ' +
        'voice clients: loopback clients only (VOICE_API_KEYS unset)',
      fields: {
        url: 'http://localhost:3000',
        upstream: 'embedded speech emulator at ws://127.0.0.1:4000',
        emulatorVoice: 'synthetic',
        pools: { tts: config.pools.tts, stt: config.pools.stt },
        auth: 'loopback-only',
      },
    });
  });

  it('names Azure by region, never the key, and counts API keys', () => {
    const config = validateEnv({
      AZURE_SPEECH_KEY: 'secret-key',
      AZURE_SPEECH_REGION: 'westeurope',
      VOICE_API_KEYS: 'a-key-of-16-chars',
    });
    const summary = startupSummary(
      config,
      {
        target: config.speech.target as never,
        upstreamSet: new UpstreamSet([config.speech.target as never], { threshold: 1, cooldownMs: 1 }),
        close: async () => {},
      },
      8080,
    );
    expect(summary.message).toContain('upstream: Azure Speech (region westeurope); pools');
    expect(summary.message).toContain('voice clients: 1 API key (VOICE_API_KEYS)');
    expect(summary.fields.emulatorVoice).toBeNull();
    expect(JSON.stringify(summary)).not.toContain('secret-key');
  });
});
