import request from 'supertest';
import type { AppConfig } from '../src/config/app-config';
import { APP_CONFIG } from '../src/config/app-config.token';
import { ConfigValidationError } from '../src/config/config-validation-error';
import { createTestApp } from './support/app/create-test-app';

describe('configuration (e2e)', () => {
  it('provides the validated config under APP_CONFIG', async () => {
    const { app } = await createTestApp({
      env: { PORT: '4321', SPEECH_POOL_TTS_WARM_SIZE: '5', SESSION_RESUME_GRACE: '2.5' },
    });
    try {
      const config = app.get<AppConfig>(APP_CONFIG);
      expect(config.port).toBe(4321);
      expect(config.pools.tts).toEqual({ warmSize: 5, warmMax: 10, maxSize: 64 });
      expect(config.voice.sessionResumeGraceMs).toBe(2500);
      expect(config.logLevel).toBe('silent');
    } finally {
      await app.close();
    }
  });

  it('refuses to build the app with an invalid environment, naming every bad variable', async () => {
    const failure = createTestApp({
      env: { PORT: 'x', SPEECH_EMULATOR: 'off', AZURE_SPEECH_KEY: 'sekrit-value' },
    });
    await expect(failure).rejects.toBeInstanceOf(ConfigValidationError);
    const error = (await failure.catch((e: unknown) => e)) as ConfigValidationError;
    expect(error.problems.map((p) => p.variable)).toEqual(['PORT', 'AZURE_SPEECH_KEY', 'SPEECH_EMULATOR']);
    expect(error.message).not.toContain('sekrit-value');
  });

  it('allows the origins in CORS_ORIGINS, and refuses others (403, no CORS headers)', async () => {
    const { app } = await createTestApp({ env: { CORS_ORIGINS: 'https://app.example.com' } });
    try {
      const server = app.getHttpServer();
      const allowed = await request(server)
        .get('/api/v1/pools')
        .set('Origin', 'https://app.example.com')
        .expect(200);
      expect(allowed.headers['access-control-allow-origin']).toBe('https://app.example.com');
      const other = await request(server)
        .get('/api/v1/pools')
        .set('Origin', 'https://evil.example')
        .expect(403);
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await app.close();
    }
  });

  it('sends no CORS headers when CORS_ORIGINS is unset', async () => {
    const { app } = await createTestApp();
    try {
      const res = await request(app.getHttpServer())
        .get('/api/v1/pools')
        .set('Origin', 'https://app.example.com');
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await app.close();
    }
  });
});
