import type { LoggerService } from '@nestjs/common';

type PinoMethod = (fields: object, message?: string) => void;

/** The part of a pino logger this needs: a `pino.Logger`, or nestjs-pino's request-aware `PinoLogger`. */
export interface PinoLike {
  trace: PinoMethod;
  debug: PinoMethod;
  info: PinoMethod;
  warn: PinoMethod;
  error: PinoMethod;
  fatal: PinoMethod;
}

/**
 * Contexts of Nest's own start-up lines (module initialised, route mapped, gateway subscribed, application
 * started): one each per module, route and event, useful only when debugging the wiring itself.
 */
export const NEST_BOILERPLATE_CONTEXTS: ReadonlySet<string> = new Set([
  'NestFactory',
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'WebSocketsController',
  'NestApplication',
]);

/** Nest passes `error(message, stack, context)`; a stack is text with `at` frames. */
const looksLikeStack = (value: unknown): value is string =>
  typeof value === 'string' && /\n\s*at /.test(value);

/**
 * Nest's LoggerService on pino: every line is a pino line (JSON, or pretty with LOG_FORMAT=pretty), Nest's
 * boilerplate `log` lines go to debug, an Error becomes pino's `err` field, an object message keeps its fields.
 */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly pino: PinoLike) {}

  log(message: unknown, ...params: unknown[]): void {
    const context = contextOf(params);
    this.write(
      context !== undefined && NEST_BOILERPLATE_CONTEXTS.has(context) ? 'debug' : 'info',
      message,
      params,
    );
  }
  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(level: keyof PinoLike, message: unknown, params: unknown[]): void {
    const fields: Record<string, unknown> = {};
    const context = contextOf(params);
    if (context !== undefined) fields.context = context;
    const stack = params.find(looksLikeStack);
    let text: string | undefined;
    if (message instanceof Error) {
      fields.err = message;
      text = message.message;
    } else if (typeof message === 'object' && message !== null) {
      const { msg, ...rest } = message as Record<string, unknown>;
      Object.assign(fields, rest);
      if (typeof msg === 'string') text = msg;
    } else {
      text = String(message);
    }
    if (stack !== undefined && fields.err === undefined) fields.err = { message: text, stack };
    this.pino[level](fields, text);
  }
}

/** Nest appends the logger's context as the last parameter. */
function contextOf(params: unknown[]): string | undefined {
  const last = params[params.length - 1];
  return params.length > 0 && typeof last === 'string' && !looksLikeStack(last) ? last : undefined;
}
