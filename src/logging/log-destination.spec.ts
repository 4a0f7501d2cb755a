import { PassThrough } from 'node:stream';
import { prettyStream } from './log-destination';
import { createRootLogger } from './root-logger';

function prettyOutput(colorize: boolean, log: (logger: ReturnType<typeof createRootLogger>) => void) {
  const out = new PassThrough();
  let text = '';
  out.on('data', (d: Buffer) => (text += d.toString()));
  log(createRootLogger('info', prettyStream(out, colorize)));
  return text;
}

describe('LOG_FORMAT=pretty', () => {
  it('prints time, level, context and message on one line, and keeps other fields', () => {
    const text = prettyOutput(false, (logger) =>
      logger.warn({ context: 'Pools', pool: 'tts' }, 'factory failed'),
    );
    expect(text).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] WARN: \[Pools\] factory failed\n {4}pool: "tts"\n$/);
  });

  it("writes a configuration error's lines once, without repeating its problems as a field", () => {
    const text = prettyOutput(false, (logger) =>
      logger.fatal(
        { context: 'Config', problems: [{ variable: 'PORT', message: 'bad' }] },
        'Invalid configuration (1 problem); see .env.example:\n  PORT: bad',
      ),
    );
    expect(text.split('\n').slice(1)).toEqual(['  PORT: bad', '']);
  });

  it('uses colour only when asked (a terminal)', () => {
    const log = (logger: ReturnType<typeof createRootLogger>) => logger.info('hello');
    expect(prettyOutput(false, log)).not.toContain('\u001b[');
    expect(prettyOutput(true, log)).toContain('\u001b[');
  });
});
