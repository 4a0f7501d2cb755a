import { styleFor } from './instructions-style';

const JENNY = ['assistant', 'chat', 'customerservice', 'newscast', 'cheerful', 'sad', 'whispering'];
const ARIA = ['chat', 'narration-professional', 'newscast-casual', 'cheerful'];

describe('styleFor', () => {
  it.each([
    ['Speak in a cheerful tone.', JENNY, 'cheerful'],
    ['SAD, then cheerful', JENNY, 'sad'], // the first one named
    ['Be a helpful customer service agent', JENNY, 'customerservice'], // run together over two words
    ['a casual newscast-casual read', ARIA, 'newscast-casual'], // a hyphenated style, as written
    ['narration professional', ARIA, 'narration-professional'],
    ['Whisper it', JENNY, 'whispering'], // a synonym
    ['Sound happy!', JENNY, 'cheerful'],
  ])('%j picks %s', (instructions, styles, style) => {
    expect(styleFor(instructions, 'v', styles)).toEqual({ style });
  });

  it('says why nothing was picked', () => {
    expect(styleFor('cheerful', 'en-US-AvaNeural', [])).toEqual({
      ignored: 'en-US-AvaNeural has no speaking styles',
    });
    expect(styleFor('cheerful', 'v', undefined)).toEqual({ ignored: 'the speaking styles of v are unknown' });
    expect(styleFor('like a pirate', 'v', ['sad', 'chat'])).toEqual({
      ignored: 'no speaking style of v matches (it has sad, chat)',
    });
    // A synonym for a style the voice lacks picks nothing.
    expect(styleFor('whisper', 'v', ['sad'])).toEqual({
      ignored: 'no speaking style of v matches (it has sad)',
    });
  });
});
