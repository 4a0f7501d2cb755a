import { SentenceBuffer, splitSentences } from './sentence-splitter';

/** Feeds `pieces` one by one; records after which piece each unit came out. */
function feed(pieces: string[], maxChars?: number): { units: Array<[string, number]>; rest: string[] } {
  const buffer = new SentenceBuffer(maxChars);
  const units: Array<[string, number]> = [];
  pieces.forEach((piece, i) => {
    for (const unit of buffer.push(piece)) units.push([unit, i]);
  });
  return { units, rest: buffer.finish() };
}

describe('splitSentences', () => {
  it('cuts a text at sentence ends, keeping the punctuation and dropping the whitespace between', () => {
    expect(splitSentences('Hello world.  How are you?\tFine!  "Quoted." Last one')).toEqual([
      'Hello world.',
      'How are you?',
      'Fine!',
      '"Quoted."',
      'Last one',
    ]);
  });

  it('does not cut after titles, inside numbers or addresses, or before a lower-case continuation', () => {
    expect(splitSentences('Dr. Smith paid 3.50 at example.com today. It is 5 p.m. now.')).toEqual([
      'Dr. Smith paid 3.50 at example.com today.',
      'It is 5 p.m. now.',
    ]);
    expect(splitSentences('I have 3. You have 4.')).toEqual(['I have 3.', 'You have 4.']);
    expect(splitSentences('Apples, pears etc. are fruit.')).toEqual(['Apples, pears etc. are fruit.']);
  });

  it('ends a unit at a line break (list items, headings)', () => {
    expect(splitSentences('Options\n- one\n- two\n\nThat is all')).toEqual([
      'Options',
      '- one',
      '- two',
      'That is all',
    ]);
  });

  it('cuts an overlong sentence at its last clause within the bound, else at a word', () => {
    const clauses = 'one two three, four five six, seven eight nine ten eleven';
    expect(splitSentences(clauses, 30)).toEqual([
      'one two three, four five six,',
      'seven eight nine ten eleven',
    ]);
    const words = 'alpha bravo charlie delta echo foxtrot golf hotel';
    const units = splitSentences(words, 20);
    expect(units.every((u) => u.length <= 20)).toBe(true);
    expect(units.join(' ')).toBe(words);
  });

  it('drops units without a letter or digit', () => {
    expect(splitSentences('Wait... ... - Yes.')).toEqual(['Wait... ... - Yes.']);
    expect(splitSentences('Really?! !! Yes.')).toEqual(['Really?!', 'Yes.']);
    expect(splitSentences('  ')).toEqual([]);
  });
});

describe('SentenceBuffer (text streamed in)', () => {
  it('gives a sentence as soon as its last piece arrives', () => {
    const { units, rest } = feed(['Hello', ' wor', 'ld', '.', ' How', ' are', ' you', '?', ' I', ' am']);
    expect(units).toEqual([
      ['Hello world.', 3],
      ['How are you?', 7],
    ]);
    expect(rest).toEqual(['I am']);
  });

  it('waits for the next piece when the end is ambiguous, and decides by it', () => {
    const a = feed(['It costs 3', '.', ' Then', ' more']);
    expect(a.units).toEqual([['It costs 3.', 2]]);
    const b = feed(['It costs 3', '.', '50', ' dollars', '.']);
    expect(b.units).toEqual([['It costs 3.50 dollars.', 4]]);
    const c = feed(['Wait', '...', ' and', ' then', ' go', '.']);
    expect(c.units).toEqual([['Wait... and then go.', 5]]);
    const d = feed(['The end', '.']);
    expect(d.units).toEqual([['The end.', 1]]);
    expect(feed(['Costs 3', '.']).rest).toEqual(['Costs 3.']);
  });

  it('bounds what it holds back: a sentence without an end is cut once it is too long', () => {
    const pieces = Array.from({ length: 30 }, (_, i) => `word${i} `);
    const { units, rest } = feed(pieces, 40);
    expect(units.length).toBeGreaterThan(3);
    expect(units.every(([unit]) => unit.length <= 40)).toBe(true);
    expect([...units.map(([u]) => u), ...rest].join(' ')).toBe(pieces.join('').trim());
  });

  it('gives the same units as the whole text, however it is cut into pieces', () => {
    const text =
      'Thanks for calling. Dr. Jones will see you at 3 p.m. on Monday! Is that fine? ' +
      'Prices start at 4.99, plus tax. Bye';
    const expected = splitSentences(text);
    for (const size of [1, 2, 3, 5, 8, 13]) {
      const pieces: string[] = [];
      for (let i = 0; i < text.length; i += size) pieces.push(text.slice(i, i + size));
      const { units, rest } = feed(pieces);
      expect([...units.map(([u]) => u), ...rest]).toEqual(expected);
    }
  });
});
