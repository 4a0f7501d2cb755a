/** Fault injection, as `POST /emulator/faults` takes it. Every field is optional there. */
export interface FaultSettings {
  /** Charged per new connection before the upgrade completes (like TLS + upgrade). */
  connectLatencyMs: number;
  /** Waited before the first audio of each synthesis. */
  firstByteLatencyMs: number;
  /** Upgrades beyond this many open (or opening) sockets are refused with HTTP 429; null = no cap. */
  maxConnections: number | null;
  /** Status for `rejectNext` refusals. */
  rejectStatus: number;
  /** Refuse the next n upgrades with `rejectStatus`. Counts down. */
  rejectNext: number;
  /** Close sockets idle this long (code 1000, never mid-turn); null = never. */
  idleTimeoutMs: number | null;
  /** The next n turns end mid-stream with close code 1011. Counts down. */
  dropMidStreamNext: number;
  /** Upgrades must carry this key (header or query), else HTTP 401; null = any key. */
  requireKey: string | null;
  /**
   * Synthesized audio streams at this many times real time, as a real service paces it (2 = a 10 s utterance
   * takes 5 s to arrive); 0 streams it as fast as it is produced.
   */
  realtimeFactor: number;
  /** Lifetime of the tokens the identity endpoints issue; null = the service's (10 min key exchange, 1 h identity). */
  tokenTtlMs: number | null;
  /** Upgrades must carry a token this emulator issued that has not expired (`Authorization: Bearer`), else 401. */
  requireToken: boolean;
}

export function defaultFaultSettings(): FaultSettings {
  return {
    connectLatencyMs: 0,
    firstByteLatencyMs: 0,
    maxConnections: null,
    rejectStatus: 429,
    rejectNext: 0,
    idleTimeoutMs: null,
    dropMidStreamNext: 0,
    requireKey: null,
    realtimeFactor: 0,
    tokenTtlMs: null,
    requireToken: false,
  };
}

export class FaultSettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid fault settings: ${problems.join('; ')}`);
    this.name = 'FaultSettingsError';
  }
}

type FieldRule = (value: unknown) => string | undefined;

const nonNegativeInt: FieldRule = (v) =>
  typeof v === 'number' && Number.isInteger(v) && v >= 0 ? undefined : 'must be a non-negative integer';
const nullableNonNegativeInt: FieldRule = (v) => (v === null ? undefined : nonNegativeInt(v));
const httpErrorStatus: FieldRule = (v) =>
  typeof v === 'number' && Number.isInteger(v) && v >= 400 && v <= 599
    ? undefined
    : 'must be an HTTP status from 400 to 599';
const nonNegativeNumber: FieldRule = (v) =>
  typeof v === 'number' && Number.isFinite(v) && v >= 0 ? undefined : 'must be a non-negative number';
const nullableString: FieldRule = (v) =>
  v === null || (typeof v === 'string' && v.length > 0) ? undefined : 'must be a non-empty string or null';

const nullablePositiveInt: FieldRule = (v) =>
  v === null || (typeof v === 'number' && Number.isInteger(v) && v > 0)
    ? undefined
    : 'must be a positive integer or null';
const boolean: FieldRule = (v) => (typeof v === 'boolean' ? undefined : 'must be true or false');

const RULES: Record<keyof FaultSettings, FieldRule> = {
  connectLatencyMs: nonNegativeInt,
  firstByteLatencyMs: nonNegativeInt,
  maxConnections: nullableNonNegativeInt,
  rejectStatus: httpErrorStatus,
  rejectNext: nonNegativeInt,
  idleTimeoutMs: nullableNonNegativeInt,
  dropMidStreamNext: nonNegativeInt,
  requireKey: nullableString,
  realtimeFactor: nonNegativeNumber,
  tokenTtlMs: nullablePositiveInt,
  requireToken: boolean,
};

/**
 * Validates a faults body and returns complete settings: fields not given take their defaults (the body
 * replaces the current settings). `idleTimeoutMs: 0` means no idle timeout. Unknown fields are errors, so a
 * typo never silently injects nothing.
 */
export function parseFaultSettings(body: unknown): FaultSettings {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new FaultSettingsError(['body must be a JSON object']);
  }
  const problems: string[] = [];
  const settings = defaultFaultSettings();
  const target = settings as unknown as Record<string, unknown>;
  for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
    if (!(name in RULES)) {
      problems.push(`unknown field "${name}" (known: ${Object.keys(RULES).join(', ')})`);
      continue;
    }
    if (value === undefined) continue;
    const problem = RULES[name as keyof FaultSettings](value);
    if (problem) problems.push(`${name} ${problem}`);
    else target[name] = value;
  }
  if (problems.length > 0) throw new FaultSettingsError(problems);
  if (settings.idleTimeoutMs === 0) settings.idleTimeoutMs = null;
  return settings;
}
