import { Module, type DynamicModule } from '@nestjs/common';
import { DashboardGateway } from './dashboard/dashboard.gateway';
import { WebAssets } from './web-assets';
import {
  WEB_MODULE_OPTIONS,
  WEB_SETTINGS,
  WebConfigurableModule,
  resolveWebSettings,
  type WebSettings,
} from './web-module-options';
import { WebPagesController } from './web-pages.controller';

/**
 * The browser pages: the demo at `/`, the pool dashboard at `/dashboard`, their bundle at `/assets/*`, and the
 * dashboard's data stream (Socket.IO `/dashboard`). Needs POOL_REGISTRY and ACCESS (global); reads METRICS_REGISTRY when
 * MetricsModule is present. The bundle is built by `npm run build` (scripts/build-web.js).
 */
@Module({
  controllers: [WebPagesController],
  providers: [
    { provide: WEB_SETTINGS, inject: [WEB_MODULE_OPTIONS], useFactory: resolveWebSettings },
    {
      provide: WebAssets,
      inject: [WEB_SETTINGS],
      useFactory: (settings: WebSettings) => new WebAssets(settings.assetsDir),
    },
    DashboardGateway,
  ],
})
export class WebModule extends WebConfigurableModule {
  /** With the default settings; keys come from AccessModule. */
  static fromAppConfig(): DynamicModule {
    return WebModule.forRoot({});
  }
}
