// The browser bundle: web/ (TypeScript, CSS, HTML) → dist/web/assets, served by the service at / and /dashboard.
// Runs after `nest build` (which empties dist/). esbuild bundles every dependency (socket.io-client, uPlot, the
// /voice client of src/client), so the pages load nothing from anywhere else.
const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const webDir = path.join(root, 'web');
const outDir = path.join(root, 'dist', 'web', 'assets');

/** Newest modification time under a folder (or of a file). */
function newestMtime(target) {
  const stats = fs.statSync(target);
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = stats.mtimeMs;
  for (const entry of fs.readdirSync(target))
    newest = Math.max(newest, newestMtime(path.join(target, entry)));
  return newest;
}

/** The stamp written last: its presence means a complete build. */
const stamp = path.join(outDir, 'demo.html');

/**
 * True when the bundle is missing or older than its sources (web/, what it takes from src/: the /voice client, the
 * protocol types, the dashboard's frame and snapshot types; this script).
 */
function isStale() {
  if (!fs.existsSync(stamp)) return true;
  const built = fs.statSync(stamp).mtimeMs;
  const inputs = Math.max(
    newestMtime(webDir),
    newestMtime(path.join(root, 'src', 'client')),
    newestMtime(path.join(root, 'src', 'protocol')),
    newestMtime(path.join(root, 'src', 'web', 'dashboard', 'dashboard-frame.ts')),
    newestMtime(path.join(root, 'src', 'pools', 'pool-snapshot.ts')),
    newestMtime(__filename),
  );
  return inputs > built;
}

async function buildWeb({ quiet = false } = {}) {
  const started = Date.now();
  fs.rmSync(outDir, { recursive: true, force: true });
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: {
      demo: 'web/demo/main.ts',
      dashboard: 'web/dashboard/main.ts',
      'mic-worklet': 'web/demo/mic/mic-capture.worklet.ts',
      app: 'web/styles/app.css',
    },
    outdir: outDir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    // Browsers with AudioWorklet and ES2020 modules; the pages need nothing newer.
    target: ['chrome100', 'firefox100', 'safari15'],
    tsconfig: 'web/tsconfig.json',
    minify: true,
    sourcemap: 'linked',
    legalComments: 'linked',
    logLevel: quiet ? 'silent' : 'warning',
  });
  for (const file of fs.readdirSync(path.join(webDir, 'static'))) {
    if (file.endsWith('.html')) continue;
    fs.copyFileSync(path.join(webDir, 'static', file), path.join(outDir, file));
  }
  // The pages last: demo.html is the stamp that says the bundle is complete.
  for (const page of ['dashboard.html', 'demo.html']) {
    fs.copyFileSync(path.join(webDir, 'static', page), path.join(outDir, page));
  }
  if (!quiet) console.log(`web bundle built in ${Date.now() - started} ms → ${path.relative(root, outDir)}`);
}

/** Builds only when needed; used by `npm start` and the browser tests. */
async function ensureWebBundle(options) {
  if (isStale()) await buildWeb(options);
}

module.exports = { buildWeb, ensureWebBundle, isStale, outDir };

if (require.main === module) {
  buildWeb().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
