// `npm start` promises to build when needed: rebuild the service when any of its sources is newer than the last
// build, and the browser bundle when web/ is newer than it (`npm run build` does both, in that order, because
// `nest build` empties dist/).
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const stamp = path.join(root, 'dist', 'main.js');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    const t = entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs;
    if (t > newest) newest = t;
  }
  return newest;
}

const built = fs.existsSync(stamp) ? fs.statSync(stamp).mtimeMs : 0;
const inputs = Math.max(
  newestMtime(path.join(root, 'src')),
  fs.statSync(path.join(root, 'package.json')).mtimeMs,
);
if (inputs > built) {
  execFileSync(process.execPath, [require.resolve('@nestjs/cli/bin/nest.js'), 'build'], {
    cwd: root,
    stdio: 'inherit',
  });
}
require('./build-web')
  .ensureWebBundle()
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
