import { UsageError } from '../cli/usage';
import { parseClientArgs, sampleRateOf } from './cli-args';

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

  it('reads every option, as --name value or --name=value, before or after the text', () => {
    expect(
      parseClientArgs([
        '--url',
        'http://voice.internal:8080/',
        'some text',
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

  it('takes words after -- as text, even when they look like options', () => {
    expect(parseClientArgs(['--', '--not-an-option', 'said']).text).toBe('--not-an-option said');
  });

  it.each([
    [[], /nothing to say/],
    [['  '], /nothing to say/],
    [['hi', '--format', 'mp3'], /--format must be one of pcm-16k, pcm-24k, pcm-48k/],
    [['hi', '--url', 'localhost:3000'], /--url must start with http/],
    [['hi', '--timeout', '0'], /--timeout must be a number/],
    [['hi', '--timeout', 'soon'], /--timeout must be a number/],
    [['hi', '--out'], /--out/],
    [['hi', '--loud'], /Unknown option '--loud'/],
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
