/** Minimal logger so the service can pass its pino logger and the CLI a console one. */
export interface EmulatorLogger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
}

export type EmulatorLogLevel = 'debug' | 'info' | 'warn' | 'silent';

const LEVELS: Record<EmulatorLogLevel, number> = { debug: 10, info: 20, warn: 30, silent: 100 };

function format(level: string, msg: string, fields?: Record<string, unknown>): string {
  const extra = fields && Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : '';
  return `[speech-emulator] ${level} ${msg}${extra}\n`;
}

/** Writes lines at or above `level` to stderr (stdout stays free for the CLI's URL line). */
export function createStderrLogger(level: EmulatorLogLevel): EmulatorLogger {
  const min = LEVELS[level];
  const write = (
    lvl: Exclude<EmulatorLogLevel, 'silent'>,
    msg: string,
    fields?: Record<string, unknown>,
  ): void => {
    if (LEVELS[lvl] >= min) process.stderr.write(format(lvl, msg, fields));
  };
  return {
    debug: (msg, fields) => write('debug', msg, fields),
    info: (msg, fields) => write('info', msg, fields),
    warn: (msg, fields) => write('warn', msg, fields),
  };
}

/** Default for in-process use: quiet except warnings. */
export const defaultEmulatorLogger: EmulatorLogger = createStderrLogger('warn');
