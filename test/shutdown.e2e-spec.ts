import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { startEmulator, type RunningEmulator } from '../src/emulator';
import { ENV_VARIABLES } from '../src/config/env.schema';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The real main.ts in its own process, configured only by the environment. */
function startService(env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const clean: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'info' };
  for (const name of ENV_VARIABLES) delete clean[name];
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
    cwd: join(__dirname, '..'),
    env: { ...clean, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  return { child, output: () => output };
}

async function waitForReady(port: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const status = await fetch(`http://127.0.0.1:${port}/health/ready`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return;
    if (Date.now() > deadline) throw new Error(`service not ready (last status ${status})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const exitOf = (child: ChildProcess): Promise<number | null> =>
  new Promise((resolve) => child.once('exit', (code) => resolve(code)));

describe('the service process (e2e, real main.ts)', () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, voice: 'synthetic' });
  });
  afterAll(() => emulator.close());

  it('on SIGTERM closes every upstream socket and exits 0', async () => {
    const port = await freePort();
    const { child, output } = startService({
      PORT: String(port),
      AZURE_SPEECH_HOST: emulator.url,
      AZURE_SPEECH_KEY: 'test-key',
      SPEECH_POOL_WARM_SIZE: '2',
    });
    const exited = exitOf(child);
    try {
      await waitForReady(port);
      expect(emulator.stats().connectionsOpen).toBe(4);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(emulator.stats().connectionsOpen).toBe(0);
      expect(output()).toMatch(
        /pools shut down \(tts created \d+ destroyed \d+; stt created \d+ destroyed \d+\)/,
      );
      const [, ttsCreated, ttsDestroyed] = /tts created (\d+) destroyed (\d+)/.exec(output())!;
      expect(ttsDestroyed).toBe(ttsCreated);
    } finally {
      child.kill('SIGKILL');
    }
  }, 90_000);

  it('refuses to start when the upstream rejects the key, saying why, without the key', async () => {
    emulator.setFaults({ requireKey: 'the-right-key' });
    try {
      const { child, output } = startService({
        PORT: String(await freePort()),
        AZURE_SPEECH_HOST: emulator.url,
        AZURE_SPEECH_KEY: 'a-wrong-key',
      });
      expect(await exitOf(child)).not.toBe(0);
      expect(output()).toMatch(/rejected the credentials/);
      expect(output()).not.toContain('a-wrong-key');
    } finally {
      emulator.reset();
    }
  }, 90_000);
});
