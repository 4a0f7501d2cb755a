/**
 * Runs every bench/*.bench.ts in sequence, each in its own Node process (so one benchmark's heap and JIT state
 * cannot skew the next), forwarding its output. Exits non-zero if any of them failed.
 *
 *   npm run bench              # all of them
 *   npm run bench -- pool      # only files whose name contains "pool"
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const benchDir = __dirname;
const filter = process.argv[2];
const files = readdirSync(benchDir)
  .filter((name) => name.endsWith('.bench.ts'))
  .filter((name) => filter === undefined || name.includes(filter))
  .sort();

if (files.length === 0) {
  console.error(
    filter === undefined ? 'no bench/*.bench.ts files found' : `no benchmark matches "${filter}"`,
  );
  process.exit(1);
}

const failed: string[] = [];
for (const file of files) {
  console.log(`\n=== ${file}`);
  const result = spawnSync(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', join(benchDir, file)],
    {
      stdio: 'inherit',
      cwd: join(benchDir, '..'),
    },
  );
  if (result.status !== 0) {
    const why =
      result.error?.message ?? (result.signal !== null ? `signal ${result.signal}` : `exit ${result.status}`);
    console.error(`=== ${file} failed (${why})`);
    failed.push(file);
  }
}

if (failed.length > 0) {
  console.error(`\n${failed.length} of ${files.length} benchmarks failed: ${failed.join(', ')}`);
  process.exit(1);
}
console.log(`\n${files.length} benchmark${files.length === 1 ? '' : 's'} passed`);
