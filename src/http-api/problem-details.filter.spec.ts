import { problemStyleFor } from './problem-details.filter';

describe('problemStyleFor', () => {
  it.each([
    ['/api/v1/tts', 'problem'],
    ['/api/v1/stt?language=en', 'problem'],
    ['/api/v1/voices', 'problem'],
    ['/v1/audio/speech', 'openai'],
    ['/v1/audio/transcriptions', 'openai'],
    ['/api/v1/pools', null],
    ['/api/v1/ttsx', null],
    ['/health/ready', null],
    [undefined, null],
  ])('%s -> %s', (url, style) => {
    expect(problemStyleFor(url)).toBe(style);
  });
});
