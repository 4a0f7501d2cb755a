import {
  SpeechSynthesisBoundaryType,
  SpeechSynthesisWordBoundaryEventArgs,
} from 'microsoft-cognitiveservices-speech-sdk';
import { WordLocator } from './word-timing';

const boundary = (
  text: string,
  offsetTicks: number,
  textOffset = -1,
  type = SpeechSynthesisBoundaryType.Word,
): SpeechSynthesisWordBoundaryEventArgs =>
  new SpeechSynthesisWordBoundaryEventArgs(offsetTicks, 2_500_000, text, text.length, textOffset, type);

describe('WordLocator', () => {
  it('converts ticks to ms and finds each word after the previous one in the text', () => {
    const words = new WordLocator('the cat saw the dog');
    expect(words.toTiming(boundary('the', 5_000_000))).toEqual({
      text: 'the',
      offsetMs: 500,
      durationMs: 250,
      textOffset: 0,
    });
    expect(words.toTiming(boundary('cat', 0))?.textOffset).toBe(4);
    expect(words.toTiming(boundary('the', 0))?.textOffset).toBe(12);
    expect(words.toTiming(boundary('missing', 0))?.textOffset).toBe(-1);
    expect(words.toTiming(boundary('dog', 0))?.textOffset).toBe(16);
  });

  it('locates words in streamed pieces as they are appended; skips punctuation boundaries', () => {
    const words = new WordLocator('');
    words.append('Hello');
    expect(words.toTiming(boundary('Hello', 0))?.textOffset).toBe(0);
    words.append(', wor');
    words.append('ld.');
    expect(words.toTiming(boundary(',', 0, -1, SpeechSynthesisBoundaryType.Punctuation))).toBeUndefined();
    expect(words.toTiming(boundary('world', 0))?.textOffset).toBe(7);
  });

  it('without a text, keeps the SDK’s own offset (into the SSML)', () => {
    expect(new WordLocator(undefined).toTiming(boundary('hi', 0, 123))?.textOffset).toBe(123);
  });
});
