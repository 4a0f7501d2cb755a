import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

export const OPENAPI_PATH = 'api/docs';

/** What the API page says about the service, with the way back to the other pages (Swagger UI renders Markdown). */
export const OPENAPI_DESCRIPTION =
  '[← Demo](/) · [Dashboard](/dashboard)\n\n' +
  'Pre-connected Azure Speech clients, handed out in tiers (DEDICATED, WARM, COLD): the HTTP speech API ' +
  "(synthesis, recognition, voices, and OpenAI's audio routes), the pools' state, and health. The real-time API is " +
  'Socket.IO on `/voice` (docs/protocol.md).';

/** OpenAPI UI at /api/docs (JSON at /api/docs-json) for the REST and health routes. */
export function setupOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('warmline')
    .setDescription(OPENAPI_DESCRIPTION)
    .setVersion('v1')
    .build();
  SwaggerModule.setup(OPENAPI_PATH, app, () => SwaggerModule.createDocument(app, config), {
    customSiteTitle: 'warmline · API',
  });
}
