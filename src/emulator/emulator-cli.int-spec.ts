import { spawn } from 'node:child_process';
import path from 'node:path';
import { withDeadline } from '../../test/support/emulator/speech-sdk';

const CLI = path.join(__dirname, 'cli.ts');
/** The CLI is transpiled on start (ts-node): seconds on a busy machine. Longer than the deadlines inside. */
const CLI_TEST_TIMEOUT_MS = 45_000;

describe('speech emulator CLI', () => {
  it(
    'prints its URL, serves the control plane and exits cleanly on SIGTERM',
    async () => {
      const child = spawn(
        process.execPath,
        [
          '-r',
          'ts-node/register/transpile-only',
          CLI,
          '--port',
          '0',
          '--voice',
          'synthetic',
          '--log-level',
          'debug',
        ],
        {
          cwd: path.resolve(__dirname, '../..'),
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      try {
        const url = await withDeadline(
          new Promise<string>((resolve) => {
            child.stdout.on('data', () => {
              const m = /ws:\/\/127\.0\.0\.1:(\d+)/.exec(stdout);
              if (m) resolve(`http://127.0.0.1:${m[1]}`);
            });
          }),
          30_000,
          'CLI start line',
        );
        expect(stdout.trim().split('\n')).toHaveLength(1);
        const res = await fetch(`${url}/emulator/stats`);
        expect(res.status).toBe(200);
        expect(await res.json()).toMatchObject({ connectionsOpen: 0 });
        child.kill('SIGTERM');
        expect(await withDeadline(exited, 10_000, 'CLI exit')).toBe(0);
        expect(stderr).toContain('SIGTERM');
      } finally {
        if (child.exitCode === null) child.kill('SIGKILL');
      }
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it(
    'rejects bad arguments with usage and exit code 2',
    async () => {
      const child = spawn(
        process.execPath,
        ['-r', 'ts-node/register/transpile-only', CLI, '--voice', 'robot'],
        {
          cwd: path.resolve(__dirname, '../..'),
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const code = await withDeadline(
        new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c))),
        30_000,
        'CLI exit',
      );
      expect(code).toBe(2);
      expect(stderr).toMatch(
        /^error: --voice must be one of auto, espeak, synthetic \(got "robot"\)\n\nusage: npm run emulator/,
      );
    },
    CLI_TEST_TIMEOUT_MS,
  );
});
