import { expect } from '@jest/globals';
import { MAX_TEXT_CHARS, ScriptError, parseBatchScript } from './batch-script';

describe('parseBatchScript', () => {
  it('makes one utterance per paragraph, numbered, with line breaks inside a paragraph as spaces', () => {
    const script = parseBatchScript(
      'Hello there.\nSecond line.\n\n\n  Next paragraph. \r\n\r\nLast.',
      'a.txt',
    );
    expect(script.items).toEqual([
      { id: '0001', text: 'Hello there. Second line.' },
      { id: '0002', text: 'Next paragraph.' },
      { id: '0003', text: 'Last.' },
    ]);
    expect(script.problems).toEqual([]);
  });

  it('reads JSON Lines, by name or by content', () => {
    const jsonl = '{"id":"intro","text":"Hi."}\n\n{"id":7,"text":"Bye.","voice":"en-GB-RyanNeural"}\n';
    const expected = [
      { id: 'intro', text: 'Hi.' },
      { id: '7', text: 'Bye.', voice: 'en-GB-RyanNeural' },
    ];
    expect(parseBatchScript(jsonl, 'lines.jsonl').items).toEqual(expected);
    expect(parseBatchScript(jsonl, 'lines.txt').items).toEqual(expected);
  });

  it('reports a line that is too long without dropping the others', () => {
    const script = parseBatchScript(`short\n\n${'x'.repeat(MAX_TEXT_CHARS + 1)}`, 'a.txt');
    expect(script.items).toEqual([{ id: '0001', text: 'short' }]);
    expect(script.problems).toEqual([{ id: '0002', reason: expect.stringMatching(/5001 characters/) }]);
  });

  it.each([
    ['{"id":"a","text":"x"}\nnot json', /line 2 is not JSON/],
    ['{"id":"../etc/passwd","text":"x"}', /"id" must be/],
    ['{"id":"a","text":""}', /"text" must be/],
    ['{"id":"a","text":"x"}\n{"id":"a","text":"y"}', /appears more than once/],
    ['{"id":"a","text":"x","voice":3}', /"voice" must be a string/],
  ])('refuses a malformed JSONL script: %s', (content, message) => {
    expect(() => parseBatchScript(content, 'x.jsonl')).toThrow(ScriptError);
    expect(() => parseBatchScript(content, 'x.jsonl')).toThrow(message);
  });
});
