import type { INestApplication } from '@nestjs/common';
import { Logger } from 'nestjs-pino';
import type { AppConfig } from './config/app-config';
import { APP_CONFIG } from './config/app-config.token';
import { setupOpenApi } from './openapi';

/**
 * Everything main.ts does to the application besides listening: pino as Nest's logger, CORS from CORS_ORIGINS
 * (none when unset), the OpenAPI UI. e2e tests call it too, so they test what runs.
 */
export function configureApp(app: INestApplication): void {
  app.useLogger(app.get(Logger));
  const { corsOrigins } = app.get<AppConfig>(APP_CONFIG).voice;
  if (corsOrigins.length > 0) {
    app.enableCors({ origin: corsOrigins.includes('*') ? '*' : corsOrigins });
  }
  setupOpenApi(app);
}
