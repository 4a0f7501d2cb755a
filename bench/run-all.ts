/**
 * Runs every bench/*.bench.ts in sequence, each in its own Node process (so one benchmark's heap and JIT state
 * cannot skew the next), forwarding its output. Exits 1 if any of them failed, 2 for a bad command line. The
 * `BENCH {json}` lines are also collected into bench/results/latest.json (git-ignored), which docs/performance.md is
 * written from.
 *
 *   npm run bench              # all of them
 *   npm run bench -- pool      # only files whose name contains "pool"
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exitWith, parseCommandLine, runCommand, UsageError } from '../src/cli/usage';

const benchDir = __dirname;
const allFiles = readdirSync(benchDir)
  .filter((name) => name.endsWith('.bench.ts'))
  .sort();

const USAGE = `usage: npm run bench [-- FILTER]

Runs every benchmark (bench/*.bench.ts), each in a Node process of its own, or only those whose file name
contains FILTER. Each prints a table and one \`BENCH {json}\` line; the results are kept in bench/results/.

benchmarks: ${allFiles.map((name) => name.replace(/\.bench\.ts$/, '')).join(', ')}

options:
  -h, --help   this text`;

/** The benchmark files to run. */
function parseBenchArgs(argv: readonly string[]): string[] {
  const { positionals } = parseCommandLine(argv, { allowPositionals: true, options: {} });
  if (positionals.length > 1) throw new UsageError(`one FILTER at a time (got ${positionals.join(', ')})`);
  const [filter] = positionals;
  const files = allFiles.filter((name) => filter === undefined || name.includes(filter));
  if (files.length === 0) {
    throw new UsageError(
      filter === undefined ? 'no bench/*.bench.ts files found' : `no benchmark matches "${filter}"`,
    );
  }
  return files;
}

/** Runs one benchmark, echoing its stdout as it comes; resolves with its exit status and BENCH lines. */
function run(file: string): Promise<{ status: string | null; results: unknown[] }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', join(benchDir, file)], {
      stdio: ['inherit', 'pipe', 'inherit'],
      cwd: join(benchDir, '..'),
    });
    const results: unknown[] = [];
    let pending = '';
    child.stdout.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk);
      const lines = (pending + chunk.toString('utf8')).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines)
        if (line.startsWith('BENCH ')) results.push(JSON.parse(line.slice(6)) as unknown);
    });
    child.on('error', (error) => resolve({ status: error.message, results }));
    child.on('close', (code, signal) => {
      if (pending.startsWith('BENCH ')) results.push(JSON.parse(pending.slice(6)) as unknown);
      resolve({ status: code === 0 ? null : signal !== null ? `signal ${signal}` : `exit ${code}`, results });
    });
  });
}

async function main(files: string[]): Promise<number> {
  const failed: string[] = [];
  const collected: unknown[] = [];
  for (const file of files) {
    console.log(`\n=== ${file}`);
    const { status, results } = await run(file);
    collected.push(...results);
    if (status !== null) {
      console.error(`=== ${file} failed (${status})`);
      failed.push(file);
    }
  }

  // latest.json keeps each benchmark's newest result: a partial run replaces only the ones it ran.
  const resultsDir = join(benchDir, 'results');
  const latestFile = join(resultsDir, 'latest.json');
  mkdirSync(resultsDir, { recursive: true });
  const latest = new Map<string, unknown>();
  if (existsSync(latestFile)) {
    for (const r of JSON.parse(readFileSync(latestFile, 'utf8')) as { name: string }[]) latest.set(r.name, r);
  }
  for (const r of collected as { name: string }[]) latest.set(r.name, r);
  writeFileSync(latestFile, `${JSON.stringify([...latest.values()], null, 2)}\n`);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  writeFileSync(join(resultsDir, `${stamp}.json`), `${JSON.stringify(collected, null, 2)}\n`);

  if (failed.length > 0) {
    console.error(`\n${failed.length} of ${files.length} benchmarks failed: ${failed.join(', ')}`);
    return 1;
  }
  console.log(
    `\n${files.length} benchmark${files.length === 1 ? '' : 's'} passed; results in bench/results/latest.json`,
  );
  return 0;
}

exitWith(runCommand(process.argv.slice(2), USAGE, parseBenchArgs, main));
