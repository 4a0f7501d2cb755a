import type { HttpApp } from '../app/http-app';
import { Test } from '@nestjs/testing';
import type { Namespace } from 'socket.io';
import { AppModule } from '../../../src/app.module';
import { configureApp } from '../../../src/app.setup';
import { HttpApiModule } from '../../../src/http-api/http-api.module';
import { VoiceIoAdapter } from '../../../src/voice/voice-io.adapter';
import { VoiceGateway } from '../../../src/voice/voice.gateway';
import { VoiceModule } from '../../../src/voice/voice.module';
import { WebModule } from '../../../src/web/web.module';
import { useEnv } from '../app/create-test-app';

export interface WebApp {
  app: HttpApp;
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** Drops every voice connection as a network failure would (the clients reconnect by themselves). */
  dropVoiceConnections(): void;
  close(): Promise<void>;
}

/**
 * The service composed as main.ts composes it (voice gateway, HTTP speech API and web pages, real pools and Speech
 * SDK clients), configured only by `env`, listening on a free loopback port.
 */
export async function startWebApp(env: Record<string, string>): Promise<WebApp> {
  const restore = useEnv(env);
  let app: HttpApp;
  try {
    const moduleRef = await Test.createTestingModule({
      imports: [
        AppModule.forRoot({
          features: [VoiceModule.fromAppConfig(), HttpApiModule.fromAppConfig(), WebModule.fromAppConfig()],
        }),
      ],
    }).compile();
    app = moduleRef.createNestApplication<HttpApp>();
    configureApp(app);
    app.useWebSocketAdapter(new VoiceIoAdapter(app));
    await app.listen(0, '127.0.0.1');
  } finally {
    restore();
  }
  const { port } = app.getHttpServer().address() as { port: number };
  return {
    app,
    url: `http://127.0.0.1:${port}`,
    dropVoiceConnections() {
      // The gateway's namespace is private; a test reaching in is the price of a real transport failure.
      const gateway: unknown = app.get(VoiceGateway);
      const namespace = (gateway as { namespace: Namespace }).namespace;
      for (const socket of namespace.sockets.values()) socket.conn.close();
    },
    close: () => app.close(),
  };
}
