import pino, { type DestinationStream } from 'pino';
import pretty from 'pino-pretty';
import type { LogFormat } from '../config/env.schema';

const shared = new Map<LogFormat, DestinationStream>();

/**
 * Where log lines go for LOG_FORMAT: `json` writes pino's JSON lines to stdout, `pretty` renders them for a
 * terminal with pino-pretty, in colour only when stdout is one. One stream per format for the whole process, so
 * lines from different loggers (start-up, the application's) stay in order; writes are synchronous, so the last
 * line before `process.exit` is never lost.
 */
export function logDestination(format: LogFormat): DestinationStream {
  let stream = shared.get(format);
  if (stream === undefined) {
    stream =
      format === 'json'
        ? pino.destination({ dest: 1, sync: true })
        : prettyStream(1, process.stdout.isTTY === true && process.env.NO_COLOR === undefined);
    shared.set(format, stream);
  }
  return stream;
}

/** pino-pretty onto a file descriptor or stream. */
export function prettyStream(
  destination: number | NodeJS.WritableStream,
  colorize: boolean,
): DestinationStream {
  return pretty({
    destination,
    sync: true,
    colorize,
    translateTime: 'SYS:HH:MM:ss.l',
    // The context prefixes the message; a configuration error's problems and the start-up summary's fields are
    // already in their messages.
    messageFormat: '{if context}[{context}] {end}{msg}',
    ignore: 'pid,hostname,context,problems,startup',
  });
}
