import type { HttpApp } from './http-app';
import { Test } from '@nestjs/testing';
import { AppModule } from '../../../src/app.module';
import { configureApp } from '../../../src/app.setup';
import { useEnv } from './create-test-app';

/**
 * The application exactly as main.ts builds it — real UpstreamModule and SpeechPoolsModule, real Speech SDK clients — configured only
 * through the environment. `init()` runs the pools' prepare(); the caller closes the app.
 */
export async function createRealApp(env: Record<string, string>): Promise<HttpApp> {
  const restore = useEnv(env);
  try {
    const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot()] }).compile();
    const app = moduleRef.createNestApplication<HttpApp>();
    configureApp(app);
    await app.init();
    return app;
  } finally {
    restore();
  }
}
