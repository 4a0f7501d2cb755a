#!/usr/bin/env node
import { spawn, type ChildProcess } from 'node:child_process';
import { extname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { numberIn } from '../../cli/option-values';
import { parseCommandLine, runCommand } from '../../cli/usage';
import { createStderrLogger, startEmulator, type RunningEmulator } from '../../emulator';
import { portRangeProblems } from './port-range';
import { redisServerAvailable, startRedisServer, type RedisServerProcess } from './redis-server-process';

export const USAGE = `usage: npm run fleet -- [options]

Starts redis-server (from PATH, on a free port), the speech emulator and N warmline replicas on consecutive
ports, all in fleet mode. Other settings come from the environment as for \`npm start\`. Ctrl-C stops it all:
the replicas first (they drain and leave the fleet), then the emulator and Redis.

options:
  -n, --replicas N   replicas to start (default 3)
  -p, --port P       port of the first replica; the others follow (default 3000)
  --fleet-max M      fleet budget per pool (default 4 x replicas)
  -h, --help         this text`;

export interface FleetArgs {
  replicas: number;
  port: number;
  fleetMax: number;
}

/** Parses argv (without `node` and the script); throws UsageError with a message fit for the terminal. */
export function parseFleetArgs(argv: readonly string[]): FleetArgs {
  const { values } = parseCommandLine(argv, {
    options: {
      replicas: { type: 'string', short: 'n', default: '3' },
      port: { type: 'string', short: 'p', default: '3000' },
      'fleet-max': { type: 'string' },
    },
  });
  const replicas = numberIn('replicas', values.replicas, { min: 1, max: 64, integer: true });
  const port = numberIn('port', values.port, { min: 1, max: 65_535 - replicas + 1, integer: true });
  const fleetMax =
    values['fleet-max'] === undefined
      ? 4 * replicas
      : numberIn('fleet-max', values['fleet-max'], { min: 1, max: 100_000, integer: true });
  return { replicas, port, fleetMax };
}

interface Replica {
  id: string;
  url: string;
  child: ChildProcess;
  exited: Promise<void>;
}

/** Copies a child's output line by line under a prefix, so the replicas' logs can be told apart. */
function prefixLines(stream: NodeJS.ReadableStream, prefix: string, out: NodeJS.WritableStream): void {
  createInterface({ input: stream }).on('line', (line) => out.write(`${prefix} ${line}\n`));
}

/** The service's entry point next to this file: dist/main.js when built, src/main.ts under ts-node (tests). */
function mainCommand(): string[] {
  const ext = extname(__filename);
  const main = join(__dirname, '..', '..', `main${ext}`);
  return ext === '.ts' ? ['-r', 'ts-node/register/transpile-only', main] : [main];
}

function startReplica(id: string, port: number, env: NodeJS.ProcessEnv): Replica {
  const child = spawn(process.execPath, mainCommand(), {
    env: { ...env, PORT: String(port), REPLICA_ID: id },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: Ctrl-C reaches this CLI only, which stops the replicas before their Redis.
    detached: true,
  });
  prefixLines(child.stdout, `[${id}]`, process.stdout);
  prefixLines(child.stderr, `[${id}]`, process.stderr);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { id, url: `http://127.0.0.1:${port}`, child, exited };
}

async function waitReady(replica: Replica, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let gone = false;
  void replica.exited.then(() => (gone = true));
  for (;;) {
    if (gone) throw new Error(`${replica.id} exited before it was ready`);
    const status = await fetch(`${replica.url}/health/ready`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return;
    if (Date.now() > deadline) throw new Error(`${replica.id} not ready after ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Starts the fleet; resolves once every replica is ready (Ctrl-C, or a failure, ends the process). */
async function runFleet({ replicas: count, port: basePort, fleetMax }: FleetArgs): Promise<number> {
  if (!redisServerAvailable()) {
    process.stderr.write('error: redis-server is not on PATH; install Redis to run a local fleet\n');
    return 1;
  }
  const busy = await portRangeProblems(basePort, count);
  if (busy.length > 0) {
    const range = `${basePort}-${basePort + count - 1}`;
    process.stderr.write(
      `error: the replicas need ports ${range}: ${busy.join('; ')}. Choose another range with --port.\n`,
    );
    return 1;
  }

  let redis: RedisServerProcess | null = null;
  let emulator: RunningEmulator | null = null;
  const replicas: Replica[] = [];
  let stopping = false;

  const stopAll = async (code: number): Promise<never> => {
    if (!stopping) {
      stopping = true;
      process.stdout.write('stopping the fleet...\n');
      // Replicas first: they drain and leave the fleet while Redis is still there.
      for (const replica of replicas) replica.child.kill('SIGTERM');
      const killLate = setTimeout(() => replicas.forEach((r) => r.child.kill('SIGKILL')), 20_000);
      await Promise.all(replicas.map((r) => r.exited));
      clearTimeout(killLate);
      for (const { id, child } of replicas) {
        process.stdout.write(`${id} stopped (exit ${child.exitCode ?? child.signalCode})\n`);
      }
      await emulator?.close();
      await redis?.stop();
      process.stdout.write('fleet stopped\n');
    }
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));
  // Children in their own process groups outlive a crash of this CLI unless killed on the way out.
  process.on('exit', () => {
    for (const { child } of replicas) if (child.exitCode === null) child.kill('SIGKILL');
    redis?.kill();
  });

  try {
    redis = await startRedisServer(undefined, { ownProcessGroup: true });
    emulator = await startEmulator({ port: 0, logger: createStderrLogger('warn') });
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      REDIS_URL: redis.url,
      AZURE_SPEECH_HOST: emulator.url,
      AZURE_SPEECH_KEY: process.env.AZURE_SPEECH_KEY ?? 'local-fleet',
      SPEECH_FLEET_MAX_SIZE: String(fleetMax),
    };
    for (let i = 0; i < count; i++) replicas.push(startReplica(`replica-${i + 1}`, basePort + i, env));
    await Promise.all(replicas.map((r) => waitReady(r, 90_000)));
    const gone = replicas.filter((r) => r.child.exitCode !== null || r.child.signalCode !== null);
    if (gone.length > 0)
      throw new Error(`${gone.map((r) => r.id).join(', ')} exited before the fleet was ready`);
  } catch (error) {
    process.stderr.write(`local fleet failed to start: ${(error as Error).message}\n`);
    await stopAll(1);
  }

  const lines = [
    `local fleet ready: ${count} replicas, fleet budget ${fleetMax} per pool`,
    `  redis     ${redis!.url}`,
    `  emulator  ${emulator!.url} (stats ${emulator!.httpUrl}/emulator/stats)`,
    ...replicas.map((r) => `  ${r.id} ${r.url}  (fleet view ${r.url}/api/v1/fleet)`),
    'Ctrl-C stops everything.',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  for (const replica of replicas) {
    void replica.exited.then(() => {
      if (!stopping) process.stderr.write(`${replica.id} exited (code ${replica.child.exitCode})\n`);
    });
  }
  return 0;
}

if (require.main === module) {
  // The exit code only: a running fleet keeps the process alive until Ctrl-C.
  void runCommand(process.argv.slice(2), USAGE, parseFleetArgs, runFleet).then((code) => {
    process.exitCode = code;
  });
}
