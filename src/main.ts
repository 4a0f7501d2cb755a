import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { configureApp } from './app.setup';
import type { AppConfig } from './config/app-config';
import { APP_CONFIG } from './config/app-config.token';
import { VoiceIoAdapter } from './voice/voice-io.adapter';
import { VoiceModule } from './voice/voice.module';
import { WebModule } from './web/web.module';

async function bootstrap(): Promise<void> {
  // Buffered until the pino logger is installed, so start-up lines are JSON too. An invalid environment fails
  // in create(): Nest logs the ConfigValidationError (one line per bad variable) and exits with code 1.
  const app = await NestFactory.create(
    AppModule.forRoot({ features: [VoiceModule.fromAppConfig(), WebModule.fromAppConfig()] }),
    {
      bufferLogs: true,
    },
  );
  configureApp(app);
  app.useWebSocketAdapter(new VoiceIoAdapter(app));
  // exit 0 after a clean drain (Kubernetes reads a signal death as a crash); process.exit also flushes pino.
  app.enableShutdownHooks(undefined, { useProcessExit: true });
  await app.listen(app.get<AppConfig>(APP_CONFIG).port);
}

void bootstrap();
