import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';

/** One file of the browser bundle, read into memory (the whole bundle is a few hundred KiB). */
export interface WebAsset {
  body: Buffer;
  contentType: string;
  etag: string;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json',
};

/** Plain file names only: no path separators, no leading dot (so no `..`), a known extension. */
const SAFE_NAME = /^[A-Za-z0-9_-][A-Za-z0-9_.-]*$/;

/**
 * The files `npm run build` wrote to the assets folder, served by name. A file is re-read when its mtime changes,
 * so a rebuild (`node scripts/build-web.js`) shows without a restart.
 */
export class WebAssets {
  private readonly cache = new Map<string, { mtimeMs: number; asset: WebAsset }>();

  constructor(readonly dir: string) {}

  /** True when the bundle was built (its demo page exists). */
  get built(): boolean {
    return this.stat('demo.html') !== null;
  }

  /** The asset by file name, or null when there is no such file (or the name is not a plain file name). */
  get(name: string): WebAsset | null {
    const contentType = CONTENT_TYPES[extname(name)];
    if (!SAFE_NAME.test(name) || contentType === undefined) return null;
    const mtimeMs = this.stat(name);
    if (mtimeMs === null) return null;
    const cached = this.cache.get(name);
    if (cached !== undefined && cached.mtimeMs === mtimeMs) return cached.asset;
    const body = readFileSync(join(this.dir, name));
    const etag = `"${createHash('sha1').update(body).digest('base64url')}"`;
    const asset = { body, contentType, etag };
    this.cache.set(name, { mtimeMs, asset });
    return asset;
  }

  private stat(name: string): number | null {
    try {
      const stats = statSync(join(this.dir, name));
      return stats.isFile() ? stats.mtimeMs : null;
    } catch {
      return null;
    }
  }
}
