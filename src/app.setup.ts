import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { AppConfig } from './config/app-config';
import { APP_CONFIG } from './config/app-config.token';
import { NestPinoLogger } from './logging/nest-logger';
import { setupOpenApi } from './openapi';

/**
 * Everything main.ts does to the application besides listening: pino as Nest's logger, no `X-Powered-By`
 * header, CORS from CORS_ORIGINS (none when unset), the OpenAPI UI. e2e tests call it too, so they test what
 * runs.
 */
export function configureApp(app: INestApplication): void {
  app.useLogger(app.get(NestPinoLogger));
  // Express announces itself by default; the header only helps someone looking for a known weakness.
  if (app.getHttpAdapter().getType() === 'express') (app as NestExpressApplication).disable('x-powered-by');
  const { corsOrigins } = app.get<AppConfig>(APP_CONFIG).voice;
  if (corsOrigins.length > 0) {
    app.enableCors({ origin: corsOrigins.includes('*') ? '*' : corsOrigins });
  }
  setupOpenApi(app);
}
