import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ENV_VARIABLES } from '../src/config/env.schema';

describe('start-up with an invalid environment (e2e, real main.ts)', () => {
  it('stops with exit code 1 and one line per bad variable, never showing a secret', () => {
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'test' };
    for (const name of ENV_VARIABLES) delete env[name];
    Object.assign(env, {
      PORT: 'abc',
      SPEECH_EMULATOR: 'off',
      AZURE_SPEECH_KEY: 'sk-do-not-print',
      NO_COLOR: '1',
    });

    const root = join(__dirname, '..');
    const run = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
      cwd: root,
      env,
      encoding: 'utf8',
      timeout: 60_000,
    });
    const output = `${run.stdout}\n${run.stderr}`;

    expect(run.status).toBe(1);
    expect(output).toContain('Invalid configuration (3 problems)');
    expect(output).toMatch(/^ {2}PORT: must be a whole number from 0 to 65535 \(got "abc"\)$/m);
    expect(output).toMatch(/^ {2}AZURE_SPEECH_KEY: is set without AZURE_SPEECH_REGION/m);
    expect(output).toMatch(/^ {2}SPEECH_EMULATOR: is off/m);
    expect(output).not.toContain('sk-do-not-print');
  }, 70_000);
});
