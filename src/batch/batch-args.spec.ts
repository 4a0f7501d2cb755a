import { UsageError, parseBatchArgs, resumeCommand } from './batch-args';

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
    });
    expect(parseBatchArgs(['--help'])).toBe('help');
  });

  it.each([
    [[], /script file/],
    [['a.txt', 'b.txt'], /one script file/],
    [['a.txt', '--concurrency', '0'], /concurrency must be an integer/],
    [['a.txt', '--format', 'ogg'], /format must be one of/],
    [['a.txt', '--url', 'localhost'], /--url must start/],
    [['a.txt', '--nope'], /unknown option --nope/],
    [['a.txt', '--out'], /--out needs a value/],
  ])('%j is a usage error', (argv, message) => {
    expect(() => parseBatchArgs(argv)).toThrow(UsageError);
    expect(() => parseBatchArgs(argv)).toThrow(message);
  });

  it('repeats the command for resuming, quoted for the shell', () => {
    expect(resumeCommand(['my course.txt', '--out', './audio'])).toBe(
      "npm run batch -- 'my course.txt' --out ./audio",
    );
  });
});
