import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Access } from './access/access';
import { ACCESS } from './access/access.module';
import { httpAccessMiddleware } from './access/http-access';
import type { AppConfig } from './config/app-config';
import { APP_CONFIG } from './config/app-config.token';
import { NestPinoLogger } from './logging/nest-logger';
import { setupOpenApi } from './openapi';

/**
 * Which routes outside the HTTP speech API (whose controllers authenticate themselves) need a key when keys are set
 * — and, without keys, a loopback client: the operational data (pools, fleet, debug) and, unless METRICS_PUBLIC,
 * the metrics. Health probes (the kubelet sends no key), the web pages and their assets (static; their data
 * stream authenticates) and the OpenAPI description (the same text as the repository's) stay public.
 */
export function routeNeedsKey(path: string, metricsPublic: boolean): boolean {
  const under = (prefix: string): boolean => path === prefix || path.startsWith(`${prefix}/`);
  if (under('/metrics')) return !metricsPublic;
  return under('/api/v1/pools') || under('/api/v1/fleet') || under('/debug');
}

/**
 * Everything main.ts does to the application besides listening: pino as Nest's logger, the access check in front
 * of every route (DNS rebinding, foreign Origins, keys for operational routes), no `X-Powered-By` header, CORS
 * from CORS_ORIGINS (none when unset), the OpenAPI UI. e2e tests call it too, so they test what runs.
 */
export function configureApp(app: INestApplication): void {
  app.useLogger(app.get(NestPinoLogger));
  // Express announces itself by default; the header only helps someone looking for a known weakness.
  if (app.getHttpAdapter().getType() === 'express') (app as NestExpressApplication).disable('x-powered-by');
  const config = app.get<AppConfig>(APP_CONFIG);
  const { corsOrigins } = config.voice;
  const access = app.get<Access>(ACCESS);
  // First, so it stands in front of every route, the OpenAPI UI's included.
  app.use(
    httpAccessMiddleware({
      access,
      browser: { corsOrigins, loopbackOnly: !access.keysConfigured },
      needsKey: (path) => routeNeedsKey(path, config.access.metricsPublic),
    }),
  );
  if (corsOrigins.length > 0) {
    app.enableCors({ origin: corsOrigins.includes('*') ? '*' : corsOrigins });
  }
  setupOpenApi(app);
}
