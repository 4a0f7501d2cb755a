import pino, { type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from '../config/env.schema';
import { REDACTED, REDACT_PATHS } from './redaction';

/**
 * The application's root pino logger (`pino.Logger`), one per application instance. Inject it where a pino API
 * is wanted outside a request (pool events, the gateway); HTTP requests get a child of it through nestjs-pino.
 * Tests override this provider to capture lines.
 */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

/** JSON lines with ISO timestamps and level names (`"level":"warn"`), secrets redacted. */
export function createRootLogger(level: LogLevel, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: [...REDACT_PATHS], censor: REDACTED },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}
