import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ENV_VARIABLES } from '../../../src/config/env.schema';

export const REPO_ROOT = join(__dirname, '..', '..', '..');

/** One parsed log line. */
export interface LogLine {
  level: string;
  msg: string;
  context?: string;
  pid: number;
  [field: string]: unknown;
}

export interface BuiltService {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
}

/**
 * The built service as a supervisor runs it: `node dist/main.js` (or `npm start` with `via: 'npm'`), configured
 * only by `env`: every warmline variable of the test runner's own environment is removed first, and NODE_ENV is
 * `test` (so a developer's .env is not read). Needs `npm run build` first.
 */
export function spawnBuiltService(
  env: Record<string, string>,
  { via = 'node' }: { via?: 'node' | 'npm' } = {},
): BuiltService {
  if (!existsSync(join(REPO_ROOT, 'dist', 'main.js'))) {
    throw new Error('dist/main.js is missing: run `npm run build` before these tests');
  }
  const base: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'test' };
  for (const name of ENV_VARIABLES) delete base[name];
  const [command, args] = via === 'npm' ? ['npm', ['start']] : [process.execPath, ['dist/main.js']];
  const child = spawn(command, args, {
    cwd: REPO_ROOT,
    env: { ...base, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

/** Every line of `text` parsed as a JSON log line; throws naming the first line that is not one. */
export function jsonLines(text: string): LogLine[] {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      try {
        return JSON.parse(line) as LogLine;
      } catch {
        throw new Error(`not a JSON log line: ${line}`);
      }
    });
}

/** Resolves with the first log line `match` accepts, once the service has printed it. */
export async function waitForLine(
  service: BuiltService,
  match: (line: LogLine) => boolean,
  timeoutMs = 90_000,
): Promise<LogLine> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = service
      .stdout()
      .split('\n')
      .filter((l) => l.startsWith('{') && l.endsWith('}'))
      .map((l) => JSON.parse(l) as LogLine)
      .find(match);
    if (found) return found;
    if (Date.now() > deadline || service.child.exitCode !== null) {
      throw new Error(`no such log line; output:\n${service.stdout()}${service.stderr()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Whether a process with this id is still alive. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
