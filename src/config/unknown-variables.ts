import { closest } from 'fastest-levenshtein';
import { ENV_VARIABLES, type EnvVariable } from './env.schema';
import type { RawEnv } from './validate-env';

/** Prefixes that belong to warmline: a variable with one of them that warmline does not read is a typo. */
export const OWNED_PREFIXES = ['SPEECH_', 'VOICE_', 'FLEET_', 'AZURE_SPEECH_'] as const;

export interface UnknownVariable {
  variable: string;
  /** The known variable with the closest name. */
  closest: EnvVariable;
}

/**
 * Set variables with one of warmline's prefixes that warmline does not read (`SPEECH_POOL_WARMSIZE`), each with
 * the closest known name, sorted by name. A misspelled variable is otherwise silently ignored.
 */
export function findUnknownVariables(raw: RawEnv): UnknownVariable[] {
  const known = new Set<string>(ENV_VARIABLES);
  return Object.keys(raw)
    .filter((name) => raw[name] !== undefined && !known.has(name))
    .filter((name) => OWNED_PREFIXES.some((prefix) => name.toUpperCase().startsWith(prefix)))
    .sort()
    .map((variable) => ({
      variable,
      closest: closest(variable.toUpperCase(), ENV_VARIABLES) as EnvVariable,
    }));
}

/** One warning line for all of them, or undefined when there are none. */
export function describeUnknownVariables(unknown: readonly UnknownVariable[]): string | undefined {
  if (unknown.length === 0) return undefined;
  const list = unknown.map((u) => `${u.variable} (did you mean ${u.closest}?)`).join(', ');
  const noun = unknown.length === 1 ? 'variable' : 'variables';
  return `ignoring unknown ${noun} ${list}; every variable is listed in docs/configuration.md`;
}
