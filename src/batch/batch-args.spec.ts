import { UsageError } from '../cli/usage';
import { parseBatchArgs, resumeCommand } from './batch-args';

describe('parseBatchArgs', () => {
  it('reads the script, options and the token from the environment', () => {
    expect(
      parseBatchArgs(
        ['course.txt', '--out', 'o', '--concurrency=4', '--format', 'mp3-24k', '--voice', 'en-GB-RyanNeural'],
        {
          WARMLINE_API_KEY: 'k',
        },
      ),
    ).toEqual({
      script: 'course.txt',
      out: 'o',
      concurrency: 4,
      url: 'http://127.0.0.1:3000',
      token: 'k',
      voice: 'en-GB-RyanNeural',
      format: 'mp3-24k',
      maxAttempts: 8,
      maxFileBytes: 64 * 1024 * 1024,
    });
    expect(parseBatchArgs(['a.txt', '--token', 'flag'], { WARMLINE_API_KEY: 'env' }).token).toBe('flag');
    expect(parseBatchArgs(['a.txt'], { WARMLINE_API_KEY: '' }).token).toBeUndefined();
  });

  it.each(['opus-24k', 'flac-24k', 'aac-24k'])('takes --format %s', (format) => {
    expect(parseBatchArgs(['a.txt', '--format', format], {}).format).toBe(format);
  });

  it.each([
    [[], /script file/],
    [['a.txt', 'b.txt'], /one script file/],
    [['a.txt', '--concurrency', '0'], /--concurrency must be an integer from 1 to 256/],
    [['a.txt', '--attempts', '1.5'], /--attempts must be an integer from 1 to 100/],
    [['a.txt', '--format', 'ogg'], /format must be one of/],
    [['a.txt', '--url', 'localhost'], /--url must start/],
    [['a.txt', '--nope'], /Unknown option '--nope'/],
    [['a.txt', '--out'], /Option '--out <value>' argument missing/],
  ])('%j is a usage error', (argv, message) => {
    expect(() => parseBatchArgs(argv)).toThrow(UsageError);
    expect(() => parseBatchArgs(argv)).toThrow(message);
  });

  it('repeats the command for resuming without the API key given with --token', () => {
    expect(resumeCommand(['c.txt', '--token', 'sk-secret-1', '--out', 'a'])).toBe(
      'WARMLINE_API_KEY=<your key> npm run batch -- c.txt --out a',
    );
    expect(resumeCommand(['c.txt', '--token=sk-secret-2'])).toBe(
      'WARMLINE_API_KEY=<your key> npm run batch -- c.txt',
    );
  });

  it('takes a size cap per file in MiB', () => {
    expect(parseBatchArgs(['a.txt']).maxFileBytes).toBe(64 * 1024 * 1024);
    expect(parseBatchArgs(['a.txt', '--max-size', '2']).maxFileBytes).toBe(2 * 1024 * 1024);
    expect(() => parseBatchArgs(['a.txt', '--max-size', '0'])).toThrow(/--max-size must be an integer/);
  });

  it('repeats the command for resuming, quoted for the shell', () => {
    expect(resumeCommand(['my course.txt', '--out', './audio'])).toBe(
      "npm run batch -- 'my course.txt' --out ./audio",
    );
  });
});
