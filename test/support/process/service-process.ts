import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { ENV_VARIABLES } from '../../../src/config/env.schema';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface ServiceProcess {
  child: ChildProcess;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
}

/**
 * The service as `npm start` runs it — src/main.ts in its own process — configured only by `env`: every warmline
 * variable of the test runner's own environment is removed first.
 */
export function spawnService(env: Record<string, string>): ServiceProcess {
  const base: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'test' };
  for (const name of ENV_VARIABLES) delete base[name];
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
    cwd: join(__dirname, '..', '..', '..'),
    env: { ...base, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/** Polls /health/ready until 200; the deadline bounds a failure, not a speed. */
export async function waitForReady(
  baseUrl: string,
  service: ServiceProcess,
  timeoutMs = 90_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await fetch(`${baseUrl}/health/ready`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return;
    if (Date.now() > deadline)
      throw new Error(`service not ready (last status ${status}):\n${service.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
