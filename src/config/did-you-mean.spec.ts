import { closestName } from './did-you-mean';

describe('closestName', () => {
  it('names the closest known name for a typo, whatever its case', () => {
    expect(closestName('fromat', ['text', 'ssml', 'voice', 'format'])).toBe('format');
    expect(closestName('VOICE', ['text', 'voice'])).toBe('voice');
    expect(closestName('SPEECH_POOL_WARMSIZE', ['SPEECH_POOL_WARM_SIZE', 'SPEECH_POOL_MAX_SIZE'])).toBe(
      'SPEECH_POOL_WARM_SIZE',
    );
  });

  it('names nothing when no known name is close enough to be a typo of it', () => {
    expect(closestName('temperature', ['text', 'ssml', 'voice', 'format'])).toBeUndefined();
    expect(closestName('x', [])).toBeUndefined();
  });
});
