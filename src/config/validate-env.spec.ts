import { expect } from '@jest/globals';
import { ConfigValidationError } from './config-validation-error';
import { ENV_VARIABLES } from './env.schema';
import { validateEnv, type RawEnv } from './validate-env';

/** validateEnv's error, for assertions on its message and problems. */
function errorFor(env: RawEnv): ConfigValidationError {
  try {
    validateEnv(env);
  } catch (error) {
    if (error instanceof ConfigValidationError) return error;
    throw error;
  }
  throw new Error('expected validateEnv to throw');
}

describe('validateEnv', () => {
  describe('defaults', () => {
    it('gives the documented defaults for an empty environment, durations in ms', () => {
      expect(validateEnv({})).toEqual({
        port: 3000,
        speech: {
          emulatorMode: 'auto',
          target: { kind: 'emulator' },
          fallbacks: [],
          entra: null,
          proxy: null,
          failover: { threshold: 3, cooldownMs: 30_000 },
          ttsVoice: 'en-US-JennyNeural',
          sttLanguage: 'en-US',
          synthesisStallTimeoutMs: 10_000,
          maxAudioMs: 600_000,
          maxAudioBytes: 64 * 1024 * 1024,
        },
        pools: {
          tts: { warmSize: 2, warmMax: 4, maxSize: 64 },
          stt: { warmSize: 2, warmMax: 4, maxSize: 64 },
          sessionAwareness: true,
          warmupIntervalMs: 30_000,
          sessionMaxAgeMs: 1_800_000,
          acquireTimeoutMs: 5_000,
          maxIdleMs: 240_000,
          trimIdleMs: 60_000,
        },
        voice: {
          apiKeys: [],
          corsOrigins: [],
          sessionResumeGraceMs: 15_000,
          drainTimeoutMs: 10_000,
          limits: {
            audioFramesPerSecond: 200,
            audioFrameBurst: 400,
            maxQueuedSyntheses: 8,
            maxSendBufferBytes: 1024 * 1024,
            maxEarlyAudioBytes: 256 * 1024,
            streamMaxChars: 20_000,
            streamIdleMs: 30_000,
            streamPiecesPerSecond: 200,
            streamPieceBurst: 400,
            maxEarlyAudioTotalBytes: 32 * 1024 * 1024,
            sttAudioIdleMs: 10_000,
          },
        },
        access: {
          requestsPerSecond: 20,
          requestBurst: 40,
          maxConcurrentPerKey: 16,
          maxSessionsPerKey: 256,
          metricsPublic: false,
        },
        http: {
          maxUploadBytes: 25 * 1024 * 1024,
          bodyIdleMs: 5_000,
          uploadMemoryBytes: 64 * 1024 * 1024,
          uploadSpoolBytes: 48 * 1024 * 1024,
          openaiVoices: {
            alloy: 'en-US-AvaNeural',
            echo: 'en-US-AndrewNeural',
            fable: 'en-GB-RyanNeural',
            onyx: 'en-US-GuyNeural',
            nova: 'en-US-JennyNeural',
            shimmer: 'en-US-AriaNeural',
          },
        },
        logLevel: 'info',
        logFormat: 'json',
        shutdownTimeoutMs: 20_000,
        fleet: null,
        debugEndpoints: false,
      });
    });

    it('treats blank values as unset', () => {
      expect(validateEnv({ PORT: '  ', LOG_LEVEL: '', VOICE_API_KEYS: '' })).toMatchObject({
        port: 3000,
        logLevel: 'info',
        voice: { apiKeys: [] },
      });
    });

    it('defaults LOG_LEVEL to silent under NODE_ENV=test, but an explicit level wins', () => {
      expect(validateEnv({ NODE_ENV: 'test' }).logLevel).toBe('silent');
      expect(validateEnv({ NODE_ENV: 'test', LOG_LEVEL: 'debug' }).logLevel).toBe('debug');
    });
  });

  describe('overrides', () => {
    it('reads every variable', () => {
      const config = validateEnv({
        PORT: '8080',
        AZURE_SPEECH_KEY: 'k',
        AZURE_SPEECH_REGION: 'WestEurope, NorthEurope',
        AZURE_SPEECH_FAILOVER_THRESHOLD: '5',
        AZURE_SPEECH_FAILOVER_COOLDOWN: '12',
        HTTPS_PROXY: 'http://proxy.corp:3128',
        NO_PROXY: 'localhost, .internal',
        SPEECH_EMULATOR: 'OFF',
        SPEECH_POOL_WARM_SIZE: '3',
        SPEECH_POOL_TTS_WARM_SIZE: '4',
        SPEECH_POOL_MAX_SIZE: '10',
        SPEECH_POOL_STT_MAX_SIZE: '5',
        SPEECH_POOL_SESSION_AWARENESS: '0',
        SPEECH_POOL_WARMUP_INTERVAL: '0.5',
        SPEECH_POOL_SESSION_MAX_AGE: '60',
        SPEECH_POOL_ACQUIRE_TIMEOUT: '2',
        SPEECH_POOL_MAX_IDLE: '120',
        SPEECH_POOL_WARM_MAX: '5',
        SPEECH_POOL_TRIM_IDLE: '90',
        SPEECH_TTS_VOICE: 'de-DE-KatjaNeural',
        SPEECH_STT_LANGUAGE: 'de-DE',
        SPEECH_TTS_STALL_TIMEOUT: '2.5',
        SPEECH_TTS_MAX_AUDIO_DURATION: '30',
        SPEECH_TTS_MAX_AUDIO_SIZE: '8',
        VOICE_API_KEYS: ' aaaaaaaaaaaaaaaa , bbbbbbbbbbbbbbbb,,cccccccccccccccc ',
        CORS_ORIGINS: 'https://app.example.com, http://localhost:5173',
        SESSION_RESUME_GRACE: '0',
        VOICE_REQUEST_RATE: '0.5',
        VOICE_REQUEST_BURST: '3',
        VOICE_AUDIO_FRAME_RATE: '100',
        VOICE_AUDIO_FRAME_BURST: '150',
        VOICE_MAX_QUEUED_SYNTHESES: '0',
        VOICE_SEND_BUFFER_MAX: '64',
        VOICE_EARLY_AUDIO_MAX: '0',
        VOICE_TTS_STREAM_MAX_CHARS: '100',
        VOICE_TTS_STREAM_IDLE: '2.5',
        VOICE_TTS_STREAM_PIECE_RATE: '50',
        VOICE_TTS_STREAM_PIECE_BURST: '60',
        VOICE_DRAIN_TIMEOUT: '0',
        VOICE_MAX_CONCURRENT_PER_KEY: '3',
        VOICE_MAX_SESSIONS_PER_KEY: '5',
        METRICS_PUBLIC: 'true',
        VOICE_EARLY_AUDIO_TOTAL_MAX: '4',
        VOICE_STT_AUDIO_IDLE: '2.5',
        SHUTDOWN_TIMEOUT: '3',
        HTTP_MAX_UPLOAD: '2',
        HTTP_BODY_IDLE: '0.5',
        HTTP_UPLOAD_MEMORY: '0',
        HTTP_UPLOAD_SPOOL: '100',
        OPENAI_VOICE_MAP: ' Nova = de-DE-KatjaNeural , alloy=en-US-EmmaMultilingualNeural',
        LOG_LEVEL: 'WARN',
        LOG_FORMAT: 'Pretty',
        DEBUG_ENDPOINTS: 'TRUE',
      });
      expect(config).toEqual({
        port: 8080,
        speech: {
          emulatorMode: 'off',
          target: { kind: 'azure', key: 'k', region: 'westeurope' },
          fallbacks: [{ kind: 'azure', key: 'k', region: 'northeurope' }],
          entra: null,
          proxy: { url: 'http://proxy.corp:3128', noProxy: ['localhost', '.internal'] },
          failover: { threshold: 5, cooldownMs: 12_000 },
          ttsVoice: 'de-DE-KatjaNeural',
          sttLanguage: 'de-DE',
          synthesisStallTimeoutMs: 2_500,
          maxAudioMs: 30_000,
          maxAudioBytes: 8 * 1024 * 1024,
        },
        pools: {
          tts: { warmSize: 4, warmMax: 5, maxSize: 10 },
          stt: { warmSize: 3, warmMax: 5, maxSize: 5 },
          sessionAwareness: false,
          warmupIntervalMs: 500,
          sessionMaxAgeMs: 60_000,
          acquireTimeoutMs: 2_000,
          maxIdleMs: 120_000,
          trimIdleMs: 90_000,
        },
        voice: {
          apiKeys: ['aaaaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbbb', 'cccccccccccccccc'],
          corsOrigins: ['https://app.example.com', 'http://localhost:5173'],
          sessionResumeGraceMs: 0,
          drainTimeoutMs: 0,
          limits: {
            audioFramesPerSecond: 100,
            audioFrameBurst: 150,
            maxQueuedSyntheses: 0,
            maxSendBufferBytes: 64 * 1024,
            maxEarlyAudioBytes: 0,
            streamMaxChars: 100,
            streamIdleMs: 2_500,
            streamPiecesPerSecond: 50,
            streamPieceBurst: 60,
            maxEarlyAudioTotalBytes: 4 * 1024 * 1024,
            sttAudioIdleMs: 2_500,
          },
        },
        access: {
          requestsPerSecond: 0.5,
          requestBurst: 3,
          maxConcurrentPerKey: 3,
          maxSessionsPerKey: 5,
          metricsPublic: true,
        },
        http: {
          maxUploadBytes: 2 * 1024 * 1024,
          bodyIdleMs: 500,
          uploadMemoryBytes: 0,
          uploadSpoolBytes: 100 * 1024 * 1024,
          openaiVoices: {
            alloy: 'en-US-EmmaMultilingualNeural',
            echo: 'en-US-AndrewNeural',
            fable: 'en-GB-RyanNeural',
            onyx: 'en-US-GuyNeural',
            nova: 'de-DE-KatjaNeural',
            shimmer: 'en-US-AriaNeural',
          },
        },
        logLevel: 'warn',
        logFormat: 'pretty',
        shutdownTimeoutMs: 3_000,
        fleet: null,
        debugEndpoints: true,
      });
    });

    it.each([
      ['true', true],
      ['1', true],
      ['false', false],
      ['0', false],
      [' False ', false],
    ])('accepts boolean %p', (value, expected) => {
      expect(validateEnv({ DEBUG_ENDPOINTS: value }).debugEndpoints).toBe(expected);
      expect(validateEnv({ SPEECH_POOL_SESSION_AWARENESS: value }).pools.sessionAwareness).toBe(expected);
    });

    it('resolves the speech target', () => {
      const azure = { AZURE_SPEECH_KEY: 'k', AZURE_SPEECH_REGION: 'eastus2' };
      const host = { AZURE_SPEECH_HOST: 'ws://speech-container:5000' };
      expect(validateEnv(azure).speech.target).toEqual({ kind: 'azure', key: 'k', region: 'eastus2' });
      expect(validateEnv(host).speech.target).toEqual({ kind: 'host', url: 'ws://speech-container:5000' });
      expect(validateEnv({ ...host, AZURE_SPEECH_KEY: 'k' }).speech.target).toEqual({
        kind: 'host',
        url: 'ws://speech-container:5000',
        key: 'k',
      });
      expect(validateEnv({ ...azure, ...host }).speech.target).toMatchObject({ kind: 'host', key: 'k' });
      expect(validateEnv({ ...azure, SPEECH_EMULATOR: 'on' }).speech.target).toEqual({ kind: 'emulator' });
      expect(validateEnv({ ...host, SPEECH_EMULATOR: 'off' }).speech.target.kind).toBe('host');
    });

    it.each(['ws://h:5000', 'wss://h', 'http://h', 'https://h.example.com/'])(
      'accepts AZURE_SPEECH_HOST %p',
      (url) => {
        expect(validateEnv({ AZURE_SPEECH_HOST: url }).speech.target).toEqual({ kind: 'host', url });
      },
    );

    it('accepts a wildcard CORS origin and a warm size equal to the max size', () => {
      expect(validateEnv({ CORS_ORIGINS: '*' }).voice.corsOrigins).toEqual(['*']);
      expect(validateEnv({ SPEECH_POOL_WARM_SIZE: '5', SPEECH_POOL_MAX_SIZE: '5' }).pools.tts).toEqual({
        warmSize: 5,
        warmMax: 5,
        maxSize: 5,
      });
    });
  });

  describe('pool size defaults follow the limits that were set', () => {
    it.each<[Record<string, string>, { warmSize: number; warmMax: number; maxSize: number }]>([
      [{ SPEECH_POOL_MAX_SIZE: '1' }, { warmSize: 1, warmMax: 1, maxSize: 1 }],
      [{ SPEECH_POOL_MAX_SIZE: '3' }, { warmSize: 2, warmMax: 3, maxSize: 3 }],
      [{ SPEECH_POOL_TTS_MAX_SIZE: '1' }, { warmSize: 1, warmMax: 1, maxSize: 1 }],
      [{ SPEECH_POOL_WARM_SIZE: '5' }, { warmSize: 5, warmMax: 10, maxSize: 64 }],
      [{ SPEECH_POOL_WARM_SIZE: '0' }, { warmSize: 0, warmMax: 0, maxSize: 64 }],
      [{ SPEECH_POOL_WARM_MAX: '1' }, { warmSize: 1, warmMax: 1, maxSize: 64 }],
      [{ SPEECH_POOL_WARM_MAX: '0' }, { warmSize: 0, warmMax: 0, maxSize: 64 }],
      [{ SPEECH_POOL_WARM_SIZE: '40' }, { warmSize: 40, warmMax: 64, maxSize: 64 }],
    ])('%j gives the tts pool %j', (env, sizes) => {
      expect(validateEnv(env).pools.tts).toEqual(sizes);
    });

    it('keeps per-pool overrides to their pool', () => {
      const { pools } = validateEnv({ SPEECH_POOL_STT_MAX_SIZE: '1', SPEECH_POOL_TTS_WARM_SIZE: '6' });
      expect(pools.tts).toEqual({ warmSize: 6, warmMax: 12, maxSize: 64 });
      expect(pools.stt).toEqual({ warmSize: 1, warmMax: 1, maxSize: 1 });
    });
  });

  describe('bad values', () => {
    it.each<[string, string, RegExp]>([
      ['PORT', 'abc', /^PORT: must be a whole number from 0 to 65535 \(got "abc"\)$/],
      ['PORT', '70000', /^PORT: must be a whole number from 0 to 65535 \(got "70000"\)$/],
      ['PORT', '-1', /^PORT: must be a whole number/],
      ['PORT', '3000.5', /^PORT: must be a whole number/],
      ['SPEECH_POOL_WARM_SIZE', '-2', /^SPEECH_POOL_WARM_SIZE: must be a whole number from 0/],
      ['SPEECH_POOL_MAX_SIZE', '0', /^SPEECH_POOL_MAX_SIZE: must be a whole number from 1 to 10000/],
      ['SPEECH_POOL_TTS_MAX_SIZE', 'many', /^SPEECH_POOL_TTS_MAX_SIZE: must be a whole number/],
      [
        'SPEECH_POOL_WARMUP_INTERVAL',
        '0',
        /^SPEECH_POOL_WARMUP_INTERVAL: must be a number of seconds greater than 0/,
      ],
      [
        'SPEECH_POOL_ACQUIRE_TIMEOUT',
        '5s',
        /^SPEECH_POOL_ACQUIRE_TIMEOUT: must be a number of seconds .*\(got "5s"\)$/,
      ],
      [
        'SPEECH_POOL_MAX_IDLE',
        '9999999',
        /^SPEECH_POOL_MAX_IDLE: must be a number of seconds .* at most 2147483/,
      ],
      ['SESSION_RESUME_GRACE', '-1', /^SESSION_RESUME_GRACE: must be a number of seconds at least 0/],
      [
        'SPEECH_POOL_SESSION_AWARENESS',
        'yes',
        /^SPEECH_POOL_SESSION_AWARENESS: must be true, false, 1 or 0 \(got "yes"\)$/,
      ],
      ['DEBUG_ENDPOINTS', 'on', /^DEBUG_ENDPOINTS: must be true, false, 1 or 0/],
      ['SPEECH_EMULATOR', 'maybe', /^SPEECH_EMULATOR: must be one of auto, on, off \(got "maybe"\)$/],
      ['LOG_LEVEL', 'verbose', /^LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent/],
      [
        'AZURE_SPEECH_HOST',
        'ftp://files',
        /^AZURE_SPEECH_HOST: must be a ws:\/\/, wss:\/\/, http:\/\/ or https:\/\/ URL$/,
      ],
      ['AZURE_SPEECH_HOST', 'speech-container:5000', /^AZURE_SPEECH_HOST: must be a ws:\/\//],
      ['AZURE_SPEECH_REGION', 'https://westeurope.api', /^AZURE_SPEECH_REGION: must be an Azure region name/],
      ['REDIS_URL', 'http://redis:6379', /^REDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL$/],
      ['CORS_ORIGINS', 'https://app.example.com/', /^CORS_ORIGINS: must list origins like/],
      ['CORS_ORIGINS', 'app.example.com', /^CORS_ORIGINS: must list origins like/],
      ['CORS_ORIGINS', ' , ', /^CORS_ORIGINS: must list at least one origin/],
      ['VOICE_API_KEYS', ',', /^VOICE_API_KEYS: must list at least one key/],
      [
        'VOICE_API_KEYS',
        'long-enough-key-1,short',
        /^VOICE_API_KEYS: must list keys of at least 16 characters each$/,
      ],
      ['VOICE_MAX_CONCURRENT_PER_KEY', '0', /^VOICE_MAX_CONCURRENT_PER_KEY: must be a whole number from 1/],
      ['VOICE_MAX_SESSIONS_PER_KEY', 'many', /^VOICE_MAX_SESSIONS_PER_KEY: must be a whole number from 1/],
      ['METRICS_PUBLIC', 'yes', /^METRICS_PUBLIC: must be true, false, 1 or 0/],
      ['SPEECH_TTS_VOICE', 'Jenny Neural', /^SPEECH_TTS_VOICE: must be a voice name/],
      ['SPEECH_STT_LANGUAGE', 'english', /^SPEECH_STT_LANGUAGE: must be a BCP-47 language tag/],
      ['SPEECH_POOL_WARM_MAX', '-1', /^SPEECH_POOL_WARM_MAX: must be a whole number from 0/],
      ['SPEECH_POOL_TRIM_IDLE', '0', /^SPEECH_POOL_TRIM_IDLE: must be a number of seconds greater than 0/],
      ['SPEECH_TTS_STALL_TIMEOUT', '10s', /^SPEECH_TTS_STALL_TIMEOUT: must be a number of seconds/],
      ['SPEECH_TTS_MAX_AUDIO_DURATION', '0', /^SPEECH_TTS_MAX_AUDIO_DURATION: must be a number of seconds/],
      [
        'SPEECH_TTS_MAX_AUDIO_SIZE',
        '1.5',
        /^SPEECH_TTS_MAX_AUDIO_SIZE: must be a whole number from 1 to 4096/,
      ],
      ['VOICE_REQUEST_RATE', '0', /^VOICE_REQUEST_RATE: must be a number greater than 0/],
      ['VOICE_AUDIO_FRAME_RATE', 'fast', /^VOICE_AUDIO_FRAME_RATE: must be a number greater than 0/],
      ['VOICE_REQUEST_BURST', '0', /^VOICE_REQUEST_BURST: must be a whole number from 1/],
      ['VOICE_AUDIO_FRAME_BURST', '2.5', /^VOICE_AUDIO_FRAME_BURST: must be a whole number from 1/],
      ['VOICE_MAX_QUEUED_SYNTHESES', '-1', /^VOICE_MAX_QUEUED_SYNTHESES: must be a whole number from 0/],
      ['VOICE_SEND_BUFFER_MAX', '1MiB', /^VOICE_SEND_BUFFER_MAX: must be a whole number from 1/],
      ['VOICE_EARLY_AUDIO_MAX', '-5', /^VOICE_EARLY_AUDIO_MAX: must be a whole number from 0/],
      ['VOICE_DRAIN_TIMEOUT', '-1', /^VOICE_DRAIN_TIMEOUT: must be a number of seconds at least 0/],
      ['VOICE_TTS_STREAM_IDLE', '0', /^VOICE_TTS_STREAM_IDLE: must be a number of seconds/],
      ['VOICE_TTS_STREAM_MAX_CHARS', '0', /^VOICE_TTS_STREAM_MAX_CHARS: must be a whole number from 1/],
      ['HTTP_MAX_UPLOAD', '0', /^HTTP_MAX_UPLOAD: must be a whole number from 1 to 1024/],
      ['HTTP_BODY_IDLE', '0', /^HTTP_BODY_IDLE: must be a number of seconds greater than 0/],
      ['HTTP_UPLOAD_MEMORY', '1.5', /^HTTP_UPLOAD_MEMORY: must be a whole number from 0/],
      ['HTTP_UPLOAD_SPOOL', 'lots', /^HTTP_UPLOAD_SPOOL: must be a whole number from 0/],
      ['VOICE_STT_AUDIO_IDLE', '0', /^VOICE_STT_AUDIO_IDLE: must be a number of seconds greater than 0/],
      ['VOICE_EARLY_AUDIO_TOTAL_MAX', '-1', /^VOICE_EARLY_AUDIO_TOTAL_MAX: must be a whole number from 0/],
      ['SHUTDOWN_TIMEOUT', '0', /^SHUTDOWN_TIMEOUT: must be a number of seconds greater than 0/],
      ['LOG_FORMAT', 'text', /^LOG_FORMAT: must be one of json, pretty \(got "text"\)$/],
      ['OPENAI_VOICE_MAP', ',', /^OPENAI_VOICE_MAP: must list name=voice pairs \(comma-separated\)/],
      [
        'OPENAI_VOICE_MAP',
        'alloy',
        /^OPENAI_VOICE_MAP: must list name=voice pairs such as .*"alloy" is not one/,
      ],
      [
        'OPENAI_VOICE_MAP',
        'coral=en-US-AvaNeural',
        /^OPENAI_VOICE_MAP: knows only the OpenAI voices alloy, echo, fable, onyx, nova, shimmer; "coral" is not one/,
      ],
      [
        'OPENAI_VOICE_MAP',
        'alloy=en-US-AvaNeural,ALLOY=en-US-EmmaNeural',
        /^OPENAI_VOICE_MAP: maps alloy twice/,
      ],
      [
        'OPENAI_VOICE_MAP',
        'echo=Andrew',
        /^OPENAI_VOICE_MAP: maps echo to "Andrew", which is not a voice name such as en-US-JennyNeural/,
      ],
    ])('rejects %s=%p', (variable, value, line) => {
      const error = errorFor({ [variable]: value });
      expect(error.problems.map((p) => p.variable)).toEqual([variable]);
      expect(error.message.split('\n')[1]?.trim()).toMatch(line);
    });

    it('rejects a key without a region when no host is set', () => {
      const error = errorFor({ AZURE_SPEECH_KEY: 'k' });
      expect(error.problems).toEqual([
        { variable: 'AZURE_SPEECH_KEY', message: expect.stringContaining('without AZURE_SPEECH_REGION') },
      ]);
    });

    it('rejects a region without a key when no host is set', () => {
      expect(errorFor({ AZURE_SPEECH_REGION: 'westeurope' }).problems.map((p) => p.variable)).toEqual([
        'AZURE_SPEECH_REGION',
      ]);
    });

    it('rejects SPEECH_EMULATOR=off without key+region or host', () => {
      const error = errorFor({ SPEECH_EMULATOR: 'off' });
      expect(error.problems).toEqual([
        { variable: 'SPEECH_EMULATOR', message: expect.stringContaining('AZURE_SPEECH_HOST, is required') },
      ]);
      expect(
        errorFor({ SPEECH_EMULATOR: 'off', AZURE_SPEECH_KEY: 'k' }).problems.map((p) => p.variable),
      ).toEqual(['AZURE_SPEECH_KEY', 'SPEECH_EMULATOR']);
    });

    it('blames a warm size only when it was set, and says when the max size it exceeds is a default', () => {
      expect(validateEnv({ SPEECH_POOL_MAX_SIZE: '1' }).pools.tts.warmSize).toBe(1);
      expect(errorFor({ SPEECH_POOL_TTS_WARM_SIZE: '100' }).problems).toEqual([
        {
          variable: 'SPEECH_POOL_TTS_WARM_SIZE',
          message:
            'tts warm size 100 exceeds its max size 64 (the default, as neither SPEECH_POOL_TTS_MAX_SIZE nor ' +
            'SPEECH_POOL_MAX_SIZE is set)',
        },
      ]);
    });

    it('rejects a warm max below a warm size that was set, or above a max size', () => {
      expect(errorFor({ SPEECH_POOL_WARM_MAX: '1', SPEECH_POOL_TTS_WARM_SIZE: '3' }).problems).toEqual([
        {
          variable: 'SPEECH_POOL_WARM_MAX',
          message: '1 is below the tts warm size 3 (SPEECH_POOL_TTS_WARM_SIZE)',
        },
      ]);
      expect(errorFor({ SPEECH_POOL_WARM_MAX: '6', SPEECH_POOL_STT_MAX_SIZE: '4' }).problems).toEqual([
        {
          variable: 'SPEECH_POOL_WARM_MAX',
          message: '6 exceeds the stt max size 4 (SPEECH_POOL_STT_MAX_SIZE)',
        },
      ]);
    });

    it('rejects a warm size above the max size, naming the variable in effect for each pool', () => {
      const global = errorFor({ SPEECH_POOL_WARM_SIZE: '10', SPEECH_POOL_MAX_SIZE: '4' });
      expect(global.message).toContain(
        'SPEECH_POOL_WARM_SIZE: tts warm size 10 exceeds its max size 4 (SPEECH_POOL_MAX_SIZE)',
      );
      expect(global.message).toContain(
        'SPEECH_POOL_WARM_SIZE: stt warm size 10 exceeds its max size 4 (SPEECH_POOL_MAX_SIZE)',
      );
      const perPool = errorFor({ SPEECH_POOL_STT_WARM_SIZE: '3', SPEECH_POOL_STT_MAX_SIZE: '2' });
      expect(perPool.problems).toEqual([
        {
          variable: 'SPEECH_POOL_STT_WARM_SIZE',
          message: 'stt warm size 3 exceeds its max size 2 (SPEECH_POOL_STT_MAX_SIZE)',
        },
      ]);
    });

    it('does not repeat a bad field as a cross-field problem', () => {
      // The region is invalid, so "key without region" would only confuse.
      expect(
        errorFor({ AZURE_SPEECH_KEY: 'k', AZURE_SPEECH_REGION: 'west europe' }).problems.map(
          (p) => p.variable,
        ),
      ).toEqual(['AZURE_SPEECH_REGION']);
    });

    it('names every bad variable in one message, one line each', () => {
      const error = errorFor({
        PORT: 'abc',
        SPEECH_POOL_MAX_SIZE: '0',
        LOG_LEVEL: 'loud',
        AZURE_SPEECH_KEY: 'k',
        DEBUG_ENDPOINTS: 'sure',
        SPEECH_POOL_TTS_WARM_SIZE: '9',
        SPEECH_POOL_TTS_MAX_SIZE: '3',
      });
      const lines = error.message.split('\n');
      expect(lines[0]).toBe('Invalid configuration (6 problems); see .env.example:');
      expect(lines.slice(1).map((l) => l.trim().split(':')[0])).toEqual([
        'PORT',
        'SPEECH_POOL_MAX_SIZE',
        'LOG_LEVEL',
        'DEBUG_ENDPOINTS',
        'AZURE_SPEECH_KEY',
        'SPEECH_POOL_TTS_WARM_SIZE',
      ]);
    });

    it('never echoes a secret value', () => {
      const badSecrets = errorFor({
        AZURE_SPEECH_HOST: 'ftp://user:sk-super-secret-2@host',
        REDIS_URL: 'http://:sk-super-secret-3@redis:6379',
        VOICE_API_KEYS: ' , ',
        PORT: 'x',
      });
      expect(badSecrets.problems.map((p) => p.variable).sort()).toEqual(
        ['AZURE_SPEECH_HOST', 'PORT', 'REDIS_URL', 'VOICE_API_KEYS'].sort(),
      );
      const keyWithoutRegion = errorFor({ AZURE_SPEECH_KEY: 'sk-super-secret-1' });
      expect(keyWithoutRegion.problems.map((p) => p.variable)).toEqual(['AZURE_SPEECH_KEY']);
      for (const error of [badSecrets, keyWithoutRegion]) {
        expect(error.message).not.toMatch(/sk-super-secret/);
        expect(JSON.stringify(error.problems)).not.toMatch(/sk-super-secret/);
      }
      // Non-secret values are echoed: the contrast shows the check above is meaningful.
      expect(badSecrets.message).toContain('(got "x")');
    });

    it('turns REDIS_URL into fleet mode, with the fleet caps, lease TTL and replica id', () => {
      expect(validateEnv({}).fleet).toBeNull();
      expect(
        validateEnv({
          REDIS_URL: 'rediss://:sk-super-secret-4@redis.internal:6380',
          SPEECH_FLEET_MAX_SIZE: '12',
          SPEECH_FLEET_STT_MAX_SIZE: '8',
          FLEET_LEASE_TTL: '2.5',
          FLEET_REDIS_PREFIX: 'staging:',
          HOSTNAME: 'warmline-7d9f-abcde',
        }).fleet,
      ).toEqual({
        redisUrl: 'rediss://:sk-super-secret-4@redis.internal:6380',
        replicaId: 'warmline-7d9f-abcde',
        leaseTtlMs: 2_500,
        redisPrefix: 'staging:',
        tts: { maxSize: 12 },
        stt: { maxSize: 8 },
      });
      const plain = validateEnv({ REDIS_URL: 'redis://127.0.0.1:6379', REPLICA_ID: 'replica-1' }).fleet;
      expect(plain).toEqual({
        redisUrl: 'redis://127.0.0.1:6379',
        replicaId: 'replica-1',
        leaseTtlMs: 15_000,
        redisPrefix: 'warmline:',
        tts: { maxSize: null },
        stt: { maxSize: null },
      });
    });

    it('refuses fleet settings without REDIS_URL, and a bad replica id, lease TTL or prefix', () => {
      const error = errorFor({
        SPEECH_FLEET_MAX_SIZE: '12',
        REPLICA_ID: 'has spaces',
        FLEET_LEASE_TTL: '0',
        FLEET_REDIS_PREFIX: 'a b*',
      });
      expect(error.problems).toEqual([
        { variable: 'FLEET_REDIS_PREFIX', message: expect.stringMatching(/letters, digits/) },
        { variable: 'FLEET_LEASE_TTL', message: expect.stringMatching(/greater than 0/) },
        { variable: 'REPLICA_ID', message: expect.stringMatching(/letters, digits/) },
        { variable: 'SPEECH_FLEET_MAX_SIZE', message: expect.stringMatching(/needs REDIS_URL/) },
      ]);
    });

    it('truncates a long echoed value', () => {
      const error = errorFor({ SPEECH_TTS_VOICE: 'x'.repeat(500) });
      expect(error.message.length).toBeLessThan(250);
    });
  });

  describe('Entra ID and several upstreams', () => {
    const RESOURCE_ID =
      '/subscriptions/0000/resourceGroups/speech-rg/providers/Microsoft.CognitiveServices/accounts/my-speech';

    it('resolves Entra ID on regions, a custom domain or a host, with the refresh skew in ms', () => {
      const entra = { AZURE_SPEECH_AUTH: 'entra', AZURE_SPEECH_RESOURCE_ID: RESOURCE_ID };
      const config = validateEnv({
        ...entra,
        AZURE_SPEECH_REGION: 'eastus,westus',
        AZURE_SPEECH_TOKEN_REFRESH_SKEW: '30',
      });
      expect(config.speech).toMatchObject({
        target: { kind: 'azure', region: 'eastus' },
        fallbacks: [{ kind: 'azure', region: 'westus' }],
        entra: { resourceId: RESOURCE_ID, refreshSkewMs: 30_000 },
      });
      expect(config.speech.target).not.toHaveProperty('key');
      expect(
        validateEnv({ ...entra, AZURE_SPEECH_ENDPOINT: 'https://my-speech.cognitiveservices.azure.com' })
          .speech.target,
      ).toEqual({ kind: 'endpoint', url: 'https://my-speech.cognitiveservices.azure.com' });
      expect(validateEnv({ ...entra, AZURE_SPEECH_HOST: 'ws://127.0.0.1:5099' }).speech.target).toEqual({
        kind: 'host',
        url: 'ws://127.0.0.1:5099',
      });
    });

    it('pairs one key with every upstream, or one key per entry', () => {
      expect(
        validateEnv({ AZURE_SPEECH_KEY: 'k', AZURE_SPEECH_HOST: 'ws://a:1,ws://b:2' }).speech,
      ).toMatchObject({
        target: { kind: 'host', url: 'ws://a:1', key: 'k' },
        fallbacks: [{ kind: 'host', url: 'ws://b:2', key: 'k' }],
      });
      expect(
        validateEnv({ AZURE_SPEECH_KEY: 'k1,k2', AZURE_SPEECH_REGION: 'eastus,westus' }).speech,
      ).toMatchObject({
        target: { kind: 'azure', region: 'eastus', key: 'k1' },
        fallbacks: [{ kind: 'azure', region: 'westus', key: 'k2' }],
      });
    });

    it('names every bad combination at once', () => {
      const problems = errorFor({
        AZURE_SPEECH_AUTH: 'entra',
        AZURE_SPEECH_KEY: 'k1,k2,k3',
        AZURE_SPEECH_REGION: 'eastus,westus',
      }).problems;
      expect(problems).toEqual([
        { variable: 'AZURE_SPEECH_AUTH', message: expect.stringContaining('needs AZURE_SPEECH_RESOURCE_ID') },
        { variable: 'AZURE_SPEECH_KEY', message: expect.stringContaining('uses no key') },
        {
          variable: 'AZURE_SPEECH_KEY',
          message: 'lists 3 keys for 2 AZURE_SPEECH_REGION entries; give one key for all, or one per entry',
        },
      ]);
      expect(
        errorFor({ AZURE_SPEECH_AUTH: 'entra', AZURE_SPEECH_RESOURCE_ID: RESOURCE_ID }).problems,
      ).toEqual([
        {
          variable: 'AZURE_SPEECH_AUTH',
          message: expect.stringContaining('needs AZURE_SPEECH_REGION, AZURE_SPEECH_ENDPOINT'),
        },
      ]);
      expect(
        errorFor({ AZURE_SPEECH_RESOURCE_ID: RESOURCE_ID, AZURE_SPEECH_AUTH: 'key' }).problems.map(
          (p) => p.message,
        ),
      ).toEqual([
        'is key, but AZURE_SPEECH_KEY is not set',
        'is only used with AZURE_SPEECH_AUTH=entra, which is not set',
      ]);
      expect(
        errorFor({ AZURE_SPEECH_RESOURCE_ID: 'my-speech', HTTPS_PROXY: 'socks5://user:secret@proxy:1080' })
          .message,
      ).not.toContain('secret');
      expect(
        errorFor({ AZURE_SPEECH_ENDPOINT: 'https://my-speech.cognitiveservices.azure.com' }).problems,
      ).toEqual([
        {
          variable: 'AZURE_SPEECH_ENDPOINT',
          message: 'is set without AZURE_SPEECH_KEY or AZURE_SPEECH_AUTH=entra',
        },
      ]);
    });
  });

  it('wants SHUTDOWN_TIMEOUT to leave the drain its time', () => {
    expect(() => validateEnv({ VOICE_DRAIN_TIMEOUT: '30' })).toThrow(
      /SHUTDOWN_TIMEOUT: must be at least VOICE_DRAIN_TIMEOUT \+ 3 s \(33 s\)/,
    );
    expect(validateEnv({ VOICE_DRAIN_TIMEOUT: '30', SHUTDOWN_TIMEOUT: '33' }).shutdownTimeoutMs).toBe(33_000);
  });

  it('covers every documented variable', () => {
    expect([...ENV_VARIABLES].sort()).toEqual(
      [
        'PORT',
        'AZURE_SPEECH_KEY',
        'AZURE_SPEECH_REGION',
        'AZURE_SPEECH_HOST',
        'AZURE_SPEECH_ENDPOINT',
        'AZURE_SPEECH_AUTH',
        'AZURE_SPEECH_RESOURCE_ID',
        'AZURE_SPEECH_TOKEN_REFRESH_SKEW',
        'AZURE_SPEECH_FAILOVER_THRESHOLD',
        'AZURE_SPEECH_FAILOVER_COOLDOWN',
        'HTTPS_PROXY',
        'NO_PROXY',
        'SPEECH_EMULATOR',
        'SPEECH_POOL_WARM_SIZE',
        'SPEECH_POOL_TTS_WARM_SIZE',
        'SPEECH_POOL_STT_WARM_SIZE',
        'SPEECH_POOL_MAX_SIZE',
        'SPEECH_POOL_TTS_MAX_SIZE',
        'SPEECH_POOL_STT_MAX_SIZE',
        'SPEECH_POOL_SESSION_AWARENESS',
        'SPEECH_POOL_WARMUP_INTERVAL',
        'SPEECH_POOL_SESSION_MAX_AGE',
        'SPEECH_POOL_ACQUIRE_TIMEOUT',
        'SPEECH_POOL_MAX_IDLE',
        'SPEECH_POOL_WARM_MAX',
        'SPEECH_POOL_TRIM_IDLE',
        'SPEECH_TTS_VOICE',
        'SPEECH_STT_LANGUAGE',
        'SPEECH_TTS_STALL_TIMEOUT',
        'SPEECH_TTS_MAX_AUDIO_DURATION',
        'SPEECH_TTS_MAX_AUDIO_SIZE',
        'VOICE_API_KEYS',
        'CORS_ORIGINS',
        'SESSION_RESUME_GRACE',
        'VOICE_REQUEST_RATE',
        'VOICE_REQUEST_BURST',
        'VOICE_AUDIO_FRAME_RATE',
        'VOICE_AUDIO_FRAME_BURST',
        'VOICE_MAX_QUEUED_SYNTHESES',
        'VOICE_SEND_BUFFER_MAX',
        'VOICE_EARLY_AUDIO_MAX',
        'VOICE_EARLY_AUDIO_TOTAL_MAX',
        'VOICE_STT_AUDIO_IDLE',
        'VOICE_DRAIN_TIMEOUT',
        'VOICE_TTS_STREAM_MAX_CHARS',
        'VOICE_TTS_STREAM_IDLE',
        'VOICE_TTS_STREAM_PIECE_RATE',
        'VOICE_TTS_STREAM_PIECE_BURST',
        'VOICE_MAX_CONCURRENT_PER_KEY',
        'VOICE_MAX_SESSIONS_PER_KEY',
        'METRICS_PUBLIC',
        'SHUTDOWN_TIMEOUT',
        'HTTP_MAX_UPLOAD',
        'HTTP_BODY_IDLE',
        'HTTP_UPLOAD_MEMORY',
        'HTTP_UPLOAD_SPOOL',
        'OPENAI_VOICE_MAP',
        'REDIS_URL',
        'SPEECH_FLEET_MAX_SIZE',
        'SPEECH_FLEET_TTS_MAX_SIZE',
        'SPEECH_FLEET_STT_MAX_SIZE',
        'FLEET_LEASE_TTL',
        'FLEET_REDIS_PREFIX',
        'REPLICA_ID',
        'LOG_LEVEL',
        'LOG_FORMAT',
        'DEBUG_ENDPOINTS',
      ].sort(),
    );
  });
});
