import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createConnection, createServer } from 'node:net';

export const REDIS_SERVER_BINARY = 'redis-server';

/** A redis-server child process on a loopback port, persistence off: fleet state is rebuilt, never restored. */
export interface RedisServerProcess {
  readonly port: number;
  readonly url: string;
  /** Whether the server process is running. */
  readonly running: boolean;
  /** Stops the server (SIGTERM) and waits for it to exit; a no-op when stopped. */
  stop(): Promise<void>;
  /** Starts it again on the same port, empty. */
  start(): Promise<void>;
  /** SIGKILL now, without waiting (for a process that is exiting). */
  kill(): void;
}

export interface RedisServerOptions {
  /**
   * Runs redis-server in a process group of its own, so a Ctrl-C in the terminal does not reach it: whoever
   * started it stops it, after what depends on it.
   */
  ownProcessGroup?: boolean;
}

/** Whether `redis-server` can be run from PATH. */
export function redisServerAvailable(): boolean {
  const probe = spawnSync(REDIS_SERVER_BINARY, ['--version'], { stdio: 'ignore' });
  return probe.error === undefined && probe.status === 0;
}

export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Starts redis-server from PATH on `port` (a free one by default); resolves once it accepts connections. */
export async function startRedisServer(
  port?: number,
  options: RedisServerOptions = {},
): Promise<RedisServerProcess> {
  const chosen = port ?? (await freeLoopbackPort());
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  let output = '';
  const args = ['--port', String(chosen), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];

  const start = async (): Promise<void> => {
    if (child !== null) return;
    const proc = spawn(REDIS_SERVER_BINARY, [...args, '--loglevel', 'warning'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: options.ownProcessGroup === true,
    });
    child = proc;
    proc.stdout.on('data', (d: Buffer) => (output += d.toString()));
    proc.stderr.on('data', (d: Buffer) => (output += d.toString()));
    exited = new Promise((resolve) =>
      proc.once('exit', () => {
        if (child === proc) child = null;
        resolve();
      }),
    );
    proc.once('error', (error) => (output += `${error.message}\n`));
    const deadline = Date.now() + 10_000;
    while (!(await accepts(chosen))) {
      if (child !== proc) throw new Error(`redis-server exited at start-up: ${output.trim()}`);
      if (Date.now() > deadline) throw new Error(`redis-server did not accept connections: ${output.trim()}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  const stop = async (): Promise<void> => {
    const proc = child;
    if (proc === null) return;
    proc.kill('SIGTERM');
    await exited;
  };

  await start();
  return {
    port: chosen,
    url: `redis://127.0.0.1:${chosen}`,
    get running() {
      return child !== null;
    },
    stop,
    start,
    kill: () => void child?.kill('SIGKILL'),
  };
}
