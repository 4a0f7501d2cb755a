import { UsageError, parseClientArgs, sampleRateOf } from './cli-args';

describe('parseClientArgs', () => {
  it('has defaults for everything but the text', () => {
    expect(parseClientArgs(['Hello', 'there'])).toEqual({
      text: 'Hello there',
      url: 'http://127.0.0.1:3000',
      token: undefined,
      voice: undefined,
      format: 'pcm-24k',
      out: 'warmline.wav',
      timeoutMs: 60_000,
    });
  });

  it('reads every option, as --name value or --name=value', () => {
    expect(
      parseClientArgs([
        'some text',
        '--url',
        'http://voice.internal:8080/',
        '--token=secret',
        '--voice',
        'en-GB-SoniaNeural',
        '--format',
        'pcm-48k',
        '--out',
        '/tmp/x.wav',
        '--timeout',
        '5',
      ]),
    ).toEqual({
      text: 'some text',
      url: 'http://voice.internal:8080',
      token: 'secret',
      voice: 'en-GB-SoniaNeural',
      format: 'pcm-48k',
      out: '/tmp/x.wav',
      timeoutMs: 5_000,
    });
  });

  it('asks for help', () => {
    expect(parseClientArgs(['--help'])).toBe('help');
    expect(parseClientArgs(['text', '-h'])).toBe('help');
  });

  it.each([
    [[], /nothing to say/],
    [['  '], /nothing to say/],
    [['hi', '--format', 'mp3'], /--format must be one of/],
    [['hi', '--url', 'localhost:3000'], /--url must start with http/],
    [['hi', '--timeout', '0'], /--timeout/],
    [['hi', '--out'], /--out needs a value/],
    [['hi', '--loud'], /unknown option --loud/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseClientArgs(argv)).toThrow(UsageError);
    expect(() => parseClientArgs(argv)).toThrow(message);
  });

  it('knows each format’s sample rate', () => {
    expect([sampleRateOf('pcm-16k'), sampleRateOf('pcm-24k'), sampleRateOf('pcm-48k')]).toEqual([
      16_000, 24_000, 48_000,
    ]);
  });
});
