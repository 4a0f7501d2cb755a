import { expect } from '@jest/globals';
import { describeUnknownVariables, findUnknownVariables } from './unknown-variables';

describe('findUnknownVariables', () => {
  it('names a misspelled variable with the closest known one', () => {
    expect(findUnknownVariables({ SPEECH_POOL_WARMSIZE: '3' })).toEqual([
      { variable: 'SPEECH_POOL_WARMSIZE', closest: 'SPEECH_POOL_WARM_SIZE' },
    ]);
  });

  it.each([
    ['VOICE_API_KEY', 'VOICE_API_KEYS'],
    ['AZURE_SPEECH_REGOIN', 'AZURE_SPEECH_REGION'],
    ['SPEECH_TTS_VOCE', 'SPEECH_TTS_VOICE'],
    ['FLEET_REDIS', expect.any(String)],
    ['speech_pool_max_size', 'SPEECH_POOL_MAX_SIZE'],
  ])('checks %s', (variable, closest) => {
    expect(findUnknownVariables({ [variable]: 'x' })).toEqual([{ variable, closest }]);
  });

  it('ignores known variables, other prefixes and unset entries', () => {
    expect(
      findUnknownVariables({
        SPEECH_POOL_WARM_SIZE: '3',
        VOICE_DRAIN_TIMEOUT: '5',
        PATH: '/usr/bin',
        NODE_ENV: 'production',
        ESPEAK_NG_PATH: '/usr/bin/espeak-ng',
        SPEECH_UNSET: undefined,
      }),
    ).toEqual([]);
  });

  it('describes them in one line, or not at all', () => {
    expect(describeUnknownVariables([])).toBeUndefined();
    expect(
      describeUnknownVariables(findUnknownVariables({ VOICE_API_KEY: 'k', SPEECH_POOL_WARMSIZE: '3' })),
    ).toBe(
      'ignoring unknown variables SPEECH_POOL_WARMSIZE (did you mean SPEECH_POOL_WARM_SIZE?), ' +
        'VOICE_API_KEY (did you mean VOICE_API_KEYS?); every variable is listed in docs/configuration.md',
    );
  });
});
