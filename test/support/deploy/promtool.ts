import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Where promtool is: $PROMTOOL when set (an explicit path), else PATH, then /usr/bin; null when absent. */
export function findPromtool(): string | null {
  const explicit = process.env.PROMTOOL;
  if (explicit !== undefined && explicit !== '') return existsSync(explicit) ? explicit : null;
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/bin'].filter((d) => d !== '');
  return dirs.map((dir) => join(dir, 'promtool')).find((path) => existsSync(path)) ?? null;
}

export const PROMTOOL = findPromtool();

/** In CI a missing promtool fails the run; elsewhere the promtool checks are skipped, saying why. */
export const PROMTOOL_MISSING =
  'promtool not found ($PROMTOOL, PATH, /usr/bin): install Prometheus (Debian: apt-get install prometheus) to run these checks';

export interface PromtoolResult {
  status: number | null;
  output: string;
}

export function promtool(args: string[], options: { cwd?: string; input?: string } = {}): PromtoolResult {
  if (PROMTOOL === null) throw new Error(PROMTOOL_MISSING);
  const result = spawnSync(PROMTOOL, args, { encoding: 'utf8', timeout: 60_000, ...options });
  if (result.error) throw result.error;
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/**
 * `describe` for tests that need promtool: skipped with the reason in its title when promtool is missing, except
 * in CI (CI=true), where a missing promtool is itself a failing test.
 */
export function describeWithPromtool(title: string, body: () => void): void {
  if (PROMTOOL !== null) return describe(title, body);
  if (process.env.CI === 'true') {
    return describe(title, () => {
      it('has promtool (required in CI)', () => {
        throw new Error(PROMTOOL_MISSING);
      });
    });
  }
  describe.skip(`${title} (skipped: ${PROMTOOL_MISSING})`, body);
}
