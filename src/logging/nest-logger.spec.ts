import { expect } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { NestPinoLogger } from './nest-logger';
import { createRootLogger } from './root-logger';

interface Line {
  level: string;
  msg?: string;
  context?: string;
  [field: string]: unknown;
}

function capture(level: 'debug' | 'info' = 'debug') {
  const lines: Line[] = [];
  const pino = createRootLogger(level, { write: (s: string) => void lines.push(JSON.parse(s) as Line) });
  return { lines, logger: new NestPinoLogger(pino) };
}

describe('NestPinoLogger', () => {
  it("logs Nest's start-up boilerplate at debug, everything else at its own level", () => {
    const { lines, logger } = capture();
    logger.log('AppModule dependencies initialized', 'InstanceLoader');
    logger.log('Mapped {/health/live, GET} route', 'RouterExplorer');
    logger.log('pools prepared', 'Pools');
    logger.warn('careful', 'Pools');
    logger.verbose('details', 'Pools');
    expect(lines.map((l) => [l.level, l.context, l.msg])).toEqual([
      ['debug', 'InstanceLoader', 'AppModule dependencies initialized'],
      ['debug', 'RouterExplorer', 'Mapped {/health/live, GET} route'],
      ['info', 'Pools', 'pools prepared'],
      ['warn', 'Pools', 'careful'],
    ]);
  });

  it('drops the boilerplate at info', () => {
    const { lines, logger } = capture('info');
    logger.log('Nest application successfully started', 'NestApplication');
    logger.log('ready', 'Startup');
    expect(lines.map((l) => l.msg)).toEqual(['ready']);
  });

  it("keeps an Error as pino's err, an object's fields as fields, and Nest's (message, stack, context)", () => {
    const { lines, logger } = capture();
    logger.error(new Error('boom'), undefined, 'ExceptionHandler');
    logger.debug({ msg: 'emulator: connection opened', connection: 3 }, 'Speech');
    logger.error('request failed', 'Error: x\n    at handler (file.ts:1:1)', 'ExceptionsHandler');
    expect(lines[0]).toMatchObject({
      level: 'error',
      context: 'ExceptionHandler',
      msg: 'boom',
      err: { type: 'Error', message: 'boom', stack: expect.stringContaining('Error: boom') },
    });
    expect(lines[1]).toMatchObject({ context: 'Speech', msg: 'emulator: connection opened', connection: 3 });
    expect(lines[2]).toMatchObject({
      context: 'ExceptionsHandler',
      msg: 'request failed',
      err: { stack: expect.stringContaining('at handler') },
    });
  });

  it("serves as Nest's logger for `new Logger(context)`", () => {
    const { lines, logger } = capture();
    Logger.overrideLogger(logger);
    try {
      new Logger('Lifecycle').log('shutting down');
    } finally {
      Logger.overrideLogger(false);
    }
    expect(lines).toEqual([
      expect.objectContaining({ level: 'info', context: 'Lifecycle', msg: 'shutting down' }),
    ]);
  });
});
