import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from './support/process/built-service';

jest.setTimeout(120_000);

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command-line entry point as `npm run …` does (here through ts-node), to its exit. */
function run(script: string, args: string[]): Promise<Run> {
  const child = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', join(REPO_ROOT, script), ...args],
    {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(killer);
      resolve({ code, stdout, stderr });
    }),
  );
}

/**
 * Every CLI: `--help` prints its usage to stdout and exits 0; an unknown option or a bad value prints
 * `error: <why>`, a blank line and the usage to stderr and exits 2 — before doing anything else.
 */
describe.each([
  ['npm run client', 'src/client/cli.ts', ['hi', '--format', 'mp3'], /--format must be one of pcm-16k/],
  ['npm run batch', 'src/batch/cli.ts', ['a.txt', '--concurrency', '0'], /--concurrency must be an integer/],
  [
    'npm run emulator',
    'src/emulator/cli.ts',
    ['--port', '70000'],
    /--port must be an integer from 0 to 65535/,
  ],
  ['npm run fleet', 'src/fleet/local-fleet/cli.ts', ['--replicas', 'three'], /--replicas must be an integer/],
  ['npm run bench', 'bench/run-all.ts', ['no-such-benchmark'], /no benchmark matches "no-such-benchmark"/],
  ['npm run loadtest', 'bench/loadtest.ts', ['--mix', '0:0'], /--mix must be two weights/],
  ['bench/http.bench.ts', 'bench/http.bench.ts', ['--duration', '0'], /--duration must be a number from 1/],
  [
    'bench/pool.bench.ts',
    'bench/pool.bench.ts',
    ['--baseline', '/nonexistent'],
    /--baseline must be a checkout with src\/pools/,
  ],
])('%s', (command, script, badValue, why) => {
  const usage = /^usage: /;
  let help: Promise<Run>;
  let unknown: Promise<Run>;
  let bad: Promise<Run>;

  beforeAll(() => {
    // The three runs at once (each is mostly ts-node starting up).
    help = run(script, ['--help']);
    unknown = run(script, ['--bogus']);
    bad = run(script, badValue);
  });

  it('prints its usage for --help and exits 0', async () => {
    const { code, stdout, stderr } = await help;
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toMatch(usage);
    expect(stdout).toContain(command);
  });

  it('refuses an unknown option with exit code 2, the reason and the usage on stderr', async () => {
    const { code, stdout, stderr } = await unknown;
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toMatch(/^error: Unknown option '--bogus'/);
    expect(stderr).toMatch(/\n\nusage: /);
  });

  it('refuses a bad value with exit code 2, saying what is wrong', async () => {
    const { code, stdout, stderr } = await bad;
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr.split('\n')[0]).toMatch(/^error: /);
    expect(stderr.split('\n')[0]).toMatch(why);
    expect(stderr).toMatch(/\n\nusage: /);
  });
});
