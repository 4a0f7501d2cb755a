import {
  Controller,
  Get,
  Inject,
  NotFoundException,
  Param,
  Req,
  Res,
  ServiceUnavailableException,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { PAGE_SECURITY_HEADERS } from './content-security-policy';
import { WebAssets, type WebAsset } from './web-assets';

/**
 * The demo (`GET /`), the pool dashboard (`GET /dashboard`) and their bundled scripts and styles
 * (`GET /assets/:file`), all from the service itself: no CDN, nothing from another origin.
 */
@ApiExcludeController()
@Controller()
export class WebPagesController {
  constructor(@Inject(WebAssets) private readonly assets: WebAssets) {}

  @Get()
  demo(@Req() req: IncomingMessage, @Res() res: ServerResponse): void {
    this.send(req, res, this.page('demo.html'));
  }

  @Get('dashboard')
  dashboard(@Req() req: IncomingMessage, @Res() res: ServerResponse): void {
    this.send(req, res, this.page('dashboard.html'));
  }

  @Get('assets/:file')
  asset(@Param('file') file: string, @Req() req: IncomingMessage, @Res() res: ServerResponse): void {
    const asset = file.endsWith('.html') ? null : this.assets.get(file);
    if (asset === null) throw new NotFoundException(`No asset named "${file.slice(0, 64)}"`);
    this.send(req, res, asset);
  }

  private page(name: string): WebAsset {
    const asset = this.assets.get(name);
    if (asset === null) {
      throw new ServiceUnavailableException(
        `The web pages are not built (no ${name} in ${this.assets.dir}): run npm run build`,
      );
    }
    return asset;
  }

  private send(req: IncomingMessage, res: ServerResponse, asset: WebAsset): void {
    for (const [name, value] of Object.entries(PAGE_SECURITY_HEADERS)) res.setHeader(name, value);
    res.setHeader('Content-Type', asset.contentType);
    // Names are not content-hashed: revalidate every time (cheap, by ETag), so a new build shows at once.
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('ETag', asset.etag);
    if (req.headers['if-none-match'] === asset.etag) {
      res.statusCode = 304;
      res.end();
      return;
    }
    res.statusCode = 200;
    res.setHeader('Content-Length', asset.body.length);
    res.end(req.method === 'HEAD' ? undefined : asset.body);
  }
}
