import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENV_VARIABLES } from './env.schema';
import { validateEnv } from './validate-env';

/** `# VAR=value` lines of the repository's .env.example. */
function documented(): Map<string, string> {
  const text = readFileSync(join(__dirname, '..', '..', '.env.example'), 'utf8');
  return new Map([...text.matchAll(/^# ([A-Z_]+)=(.*)$/gm)].map((m) => [m[1] ?? '', m[2] ?? '']));
}

describe('.env.example', () => {
  it('documents every variable, and only those', () => {
    expect([...documented().keys()].sort()).toEqual([...ENV_VARIABLES].sort());
  });

  it('shows the real defaults', () => {
    expect(validateEnv(Object.fromEntries(documented()))).toEqual(validateEnv({}));
  });
});
