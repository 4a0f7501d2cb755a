import { PropertyId } from 'microsoft-cognitiveservices-speech-sdk';
import {
  asSetup,
  OPTION_PLACEMENT,
  recognizerSetup,
  sameSetup,
  turnProperties,
  validateRecognitionOptions,
  validSetup,
} from './recognition-options';
import { SpeechError } from './speech-error';

function problemsOf(options: object): string {
  try {
    validateRecognitionOptions(options);
  } catch (e) {
    expect(e).toBeInstanceOf(SpeechError);
    expect((e as SpeechError).code).toBe('BAD_REQUEST');
    return (e as SpeechError).message;
  }
  throw new Error('expected the options to be refused');
}

describe('recognition options', () => {
  it('accepts every option within its bounds, and none at all', () => {
    const options = {
      languages: ['en-US', 'de-DE', 'fr-FR', 'es-ES'],
      phrases: Array.from({ length: 500 }, (_, i) => `Product ${i}`.padEnd(100, 'x')),
      endSilenceMs: 100,
      initialSilenceMs: 60_000,
      profanity: 'raw' as const,
      words: true,
    };
    expect(validateRecognitionOptions(options)).toBe(options);
    expect(validateRecognitionOptions({ endSilenceMs: 5000 })).toEqual({ endSilenceMs: 5000 });
    expect(validateRecognitionOptions({})).toEqual({});
  });

  it('names every problem at once', () => {
    const message = problemsOf({
      languages: ['en-US'],
      phrases: ['ok', '', 'x'.repeat(101)],
      endSilenceMs: 50,
      initialSilenceMs: 1.5,
      profanity: 'bleep',
      words: 'yes',
    });
    expect(message).toBe(
      'invalid recognition options: languages must list 2 to 4 languages (got 1); ' +
        `phrases must be non-empty and at most 100 characters (got "", "${'x'.repeat(40)}…"); ` +
        'endSilenceMs must be an integer from 100 to 5000 (got 50); ' +
        'initialSilenceMs must be an integer from 100 to 60000 (got 1.5); ' +
        'profanity must be one of masked, removed, raw (got "bleep"); ' +
        'words must be true or false (got "yes")',
    );
  });

  it.each([
    [
      { languages: ['en-US', 'de-DE', 'fr-FR', 'es-ES', 'it-IT'] },
      'languages must list 2 to 4 languages (got 5)',
    ],
    [{ languages: ['en-US', 'english'] }, 'languages must be language tags such as en-US (got "english")'],
    [{ languages: ['en-US', 'EN-us'] }, 'languages must not repeat a language'],
    [{ languages: 'en-US,de-DE' }, 'languages must list 2 to 4 languages (got "en-US,de-DE")'],
    [{ phrases: Array.from({ length: 501 }, () => 'a') }, 'phrases must list at most 500 phrases (got 501)'],
    [{ endSilenceMs: 5001 }, 'endSilenceMs must be an integer from 100 to 5000 (got 5001)'],
    [{ initialSilenceMs: '3000' }, 'initialSilenceMs must be an integer from 100 to 60000 (got "3000")'],
  ])('refuses options: %#', (options, problem) => {
    expect(problemsOf(options)).toBe(`invalid recognition options: ${problem}`);
  });

  it('maps the per-turn options to the SDK properties that carry them', () => {
    expect(
      turnProperties({ endSilenceMs: 300, initialSilenceMs: 2000, profanity: 'removed', words: true }),
    ).toEqual([
      [PropertyId.Speech_SegmentationSilenceTimeoutMs, '300'],
      [PropertyId.SpeechServiceConnection_InitialSilenceTimeoutMs, '2000'],
      [PropertyId.SpeechServiceResponse_ProfanityOption, 'Removed'],
      [PropertyId.SpeechServiceResponse_RequestWordLevelTimestamps, 'true'],
    ]);
    expect(turnProperties({ profanity: 'masked' })).toEqual([
      [PropertyId.SpeechServiceResponse_ProfanityOption, 'Masked'],
    ]);
    expect(turnProperties({ words: false, phrases: ['Contoso'] })).toEqual([]);
  });

  it('only language candidates fix a recognizer (with its language and rate); the rest is per turn', () => {
    expect(Object.entries(OPTION_PLACEMENT).filter(([, p]) => p === 'connect')).toEqual([
      ['languages', 'connect'],
    ]);
    const plain = recognizerSetup('en-US', 16000, { endSilenceMs: 300, phrases: ['x'], words: true });
    expect(plain).toEqual({ language: 'en-US', sampleRate: 16000 });
    expect(sameSetup(plain, asSetup('en-US', 16000))).toBe(true);
    expect(sameSetup(plain, asSetup('en-US', 24000))).toBe(false);
    expect(sameSetup(plain, asSetup('de-DE', 16000))).toBe(false);
    const lid = recognizerSetup('en-US', 16000, { languages: ['en-US', 'de-DE'] });
    expect(sameSetup(plain, lid)).toBe(false);
    expect(sameSetup(lid, { language: 'en-US', sampleRate: 16000, languages: ['de-de', 'en-US'] })).toBe(
      true,
    );
    expect(sameSetup(lid, { language: 'en-US', sampleRate: 16000, languages: ['en-US', 'fr-FR'] })).toBe(
      false,
    );
  });

  it('a setup is normalised and its candidates checked', () => {
    expect(validSetup({ language: 'en-US', sampleRate: 8000, languages: undefined })).toEqual({
      language: 'en-US',
      sampleRate: 8000,
    });
    expect(() => validSetup({ language: 'en-US', sampleRate: 8000, languages: ['en-US'] })).toThrow(
      /languages must list 2 to 4 languages/,
    );
  });
});
