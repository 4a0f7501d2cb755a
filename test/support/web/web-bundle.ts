import { join } from 'node:path';

interface BuildWebScript {
  ensureWebBundle(options?: { quiet?: boolean }): Promise<void>;
}

/** Builds the browser bundle (dist/web/assets) when it is missing or older than web/. */
export async function ensureWebBundle(): Promise<void> {
  // The build script is plain CommonJS shared with `npm run build`.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const script = require(join(__dirname, '..', '..', '..', 'scripts', 'build-web.js')) as BuildWebScript;
  await script.ensureWebBundle({ quiet: true });
}
