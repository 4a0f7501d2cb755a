import type { HttpApp } from './http-app';
import { Test } from '@nestjs/testing';
import { AppModule } from '../../../src/app.module';
import { configureApp } from '../../../src/app.setup';
import { HttpApiModule } from '../../../src/http-api/http-api.module';
import { useEnv } from './create-test-app';

export interface RealService {
  app: HttpApp;
  /** `http://127.0.0.1:PORT` */
  url: string;
  close(): Promise<void>;
}

/**
 * The application as main.ts builds it, with the HTTP speech API, configured only through `env` (every other
 * warmline variable unset while it is built), listening on a free loopback port for real HTTP clients.
 */
export async function startRealService(env: Record<string, string>): Promise<RealService> {
  const restore = useEnv(env);
  let app: HttpApp;
  try {
    const moduleRef = await Test.createTestingModule({
      imports: [AppModule.forRoot({ features: [HttpApiModule.fromAppConfig()] })],
    }).compile();
    app = moduleRef.createNestApplication<HttpApp>({ logger: ['error', 'warn'] });
    configureApp(app);
    await app.listen(0, '127.0.0.1');
  } finally {
    restore();
  }
  const { port } = app.getHttpServer().address() as { port: number };
  return { app, url: `http://127.0.0.1:${port}`, close: () => app.close() };
}
