import { countSyllables, pauseAfter, tokenizeWords } from './word-tokenizer';

describe('tokenizeWords', () => {
  it('keeps punctuation in the display form and character offsets', () => {
    const text = '"Hello," she said — it\'s 5 p.m.!';
    const words = tokenizeWords(text);
    expect(words.map((w) => w.lexical)).toEqual(['hello', 'she', 'said', "it's", '5', 'p.m']);
    expect(words.map((w) => w.word)).toEqual(['Hello', 'she', 'said', "it's", '5', 'p.m']);
    expect(text.slice(words[0].charStart, words[0].charEnd)).toBe('"Hello,"');
  });

  it('classifies pauses and counts syllables roughly', () => {
    expect(pauseAfter('end.')).toBe('sentence');
    expect(pauseAfter('so,')).toBe('clause');
    expect(pauseAfter('word')).toBe('word');
    expect(countSyllables('emulator')).toBe(4);
    expect(countSyllables('x')).toBe(1);
  });
});
