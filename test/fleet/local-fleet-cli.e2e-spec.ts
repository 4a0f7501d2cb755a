import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { ENV_VARIABLES } from '../../src/config/env.schema';
import { describeWithRedis } from '../support/fleet/redis-server';
import { freePort } from '../support/process/service-process';

jest.setTimeout(240_000);

interface Cli {
  output(): string;
  exited: Promise<number | null>;
  pid: number;
}

/** `npm run fleet` (under ts-node), in a process group of its own as a terminal would start it. */
function runFleetCli(args: string[]): Cli {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'warn' };
  for (const name of ENV_VARIABLES) if (name !== 'LOG_LEVEL') delete env[name];
  const child = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', 'src/fleet/local-fleet/cli.ts', ...args],
    { cwd: join(__dirname, '..', '..'), env, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { output: () => output, exited, pid: child.pid! };
}

/** Two consecutive free ports; the second one is held by `occupant` when asked for. */
async function portPair(): Promise<number> {
  for (;;) {
    const port = await freePort();
    if (port < 65_000 && (await canListen(port + 1))) return port;
  }
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, () => probe.close(() => resolve(true)));
  });
}

describeWithRedis('npm run fleet (the local fleet CLI)', () => {
  let occupant: Server | null = null;
  afterEach(() => {
    occupant?.close();
    occupant = null;
  });

  it('refuses a port range with a busy port before starting anything, naming the port', async () => {
    const port = await portPair();
    occupant = createServer();
    await new Promise<void>((resolve) => occupant!.listen(port + 1, resolve));
    const cli = runFleetCli(['--replicas', '2', '--port', String(port)]);
    expect(await cli.exited).toBe(1);
    expect(cli.output()).toContain(`port ${port + 1} is in use`);
    expect(cli.output()).not.toMatch(/ready|replica-1/);
  });

  it('on Ctrl-C stops its replicas (each exits 0) before its Redis, with no crash', async () => {
    const port = await portPair();
    const cli = runFleetCli(['--replicas', '2', '--port', String(port)]);
    const deadline = Date.now() + 180_000;
    while (!cli.output().includes('local fleet ready')) {
      if (Date.now() > deadline) throw new Error(`not ready:\n${cli.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    // What a terminal does on Ctrl-C: SIGINT to the foreground process group.
    process.kill(-cli.pid, 'SIGINT');
    expect(await cli.exited).toBe(0);
    const output = cli.output();
    expect(output).toContain('replica-1 stopped (exit 0)');
    expect(output).toContain('replica-2 stopped (exit 0)');
    expect(output).not.toMatch(/unhandledRejection|crashed|Redis unreachable/);
  });
});
