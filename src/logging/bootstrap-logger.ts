import type { Logger } from 'pino';
import { envSchema, type LogFormat, type LogLevel } from '../config/env.schema';
import { logDestination } from './log-destination';
import { createRootLogger } from './root-logger';

/**
 * The logger for lines written before the configuration is valid (a configuration error, above all), so even
 * those are in the log format. LOG_LEVEL and LOG_FORMAT are read leniently here: an invalid value falls back to
 * the default, and validation reports it in that very line.
 */
export function createBootstrapLogger(env: NodeJS.ProcessEnv = process.env): Logger {
  const level = envSchema.shape.LOG_LEVEL.safeParse(env.LOG_LEVEL);
  const format = envSchema.shape.LOG_FORMAT.safeParse(env.LOG_FORMAT);
  const logLevel: LogLevel = (level.success ? level.data : undefined) ?? 'info';
  const logFormat: LogFormat = format.success ? format.data : 'json';
  return createRootLogger(logLevel, logDestination(logFormat));
}
