import { UsageError } from './usage';

/** An `http://` or `https://` address without the trailing slash. */
export function httpUrl(name: string, value: string): string {
  if (!/^https?:\/\/[^/]/.test(value)) {
    throw new UsageError(`--${name} must start with http:// or https:// (got ${JSON.stringify(value)})`);
  }
  return value.replace(/\/+$/, '');
}

/** A number within bounds (an integer when `integer` is set). */
export function numberIn(
  name: string,
  value: string,
  { min, max, integer = false }: { min: number; max: number; integer?: boolean },
): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    throw new UsageError(
      `--${name} must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max} (got ${JSON.stringify(value)})`,
    );
  }
  return n;
}

/** One of a fixed set of words. */
export function oneOf<T extends string>(name: string, value: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(value)) {
    throw new UsageError(`--${name} must be one of ${choices.join(', ')} (got ${JSON.stringify(value)})`);
  }
  return value as T;
}
