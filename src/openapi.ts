import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

export const OPENAPI_PATH = 'api/docs';

/** OpenAPI UI at /api/docs (JSON at /api/docs-json) for the REST and health routes. */
export function setupOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('warmline')
    .setDescription('Pre-connected Azure Speech client pools: pool state and health')
    .setVersion('v1')
    .build();
  SwaggerModule.setup(OPENAPI_PATH, app, () => SwaggerModule.createDocument(app, config));
}
