import { expect } from '@jest/globals';
import { recognitionLanguage } from './recognition-language';

describe('recognitionLanguage', () => {
  it.each([
    [undefined, 'en-US'],
    ['', 'en-US'],
    ['en-GB', 'en-GB'],
    ['pt_br', 'pt-BR'],
    ['en', 'en-US'],
    ['de', 'de-DE'],
  ])('%s -> %s (default en-US)', (requested, locale) => {
    expect(recognitionLanguage(requested, 'en-US')).toBe(locale);
  });

  it('prefers the configured default locale for its own language', () => {
    expect(recognitionLanguage('en', 'en-GB')).toBe('en-GB');
  });

  it('refuses what is neither a locale nor a known language', () => {
    expect(() => recognitionLanguage('klingon', 'en-US')).toThrow(/language "klingon" is not known/);
    expect(() => recognitionLanguage('xx', 'en-US')).toThrow(
      expect.objectContaining({ code: 'BAD_REQUEST' }),
    );
  });
});
