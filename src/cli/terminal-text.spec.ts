import { terminalText } from './terminal-text';

describe('terminalText', () => {
  it.each([
    ['\x1b[31mred\x1b[0m text', 'red text'],
    ['\x1b[2J\x1b[Hcleared', 'cleared'],
    ['\x1b]0;new title\x07title', 'title'],
    ['\x1b]52;c;aGk=\x1b\\clipboard', 'clipboard'],
    ['8-bit \x9b31mcsi', '8-bit  31mcsi'],
    ['line\nbreak\rreturn\bback', 'line break return back'],
  ])('makes %j printable', (raw, shown) => {
    expect(terminalText(raw)).toBe(shown);
  });

  it('leaves ordinary text, accents and emoji alone', () => {
    expect(terminalText('503 UPSTREAM_BUSY: réessayez 🙂')).toBe('503 UPSTREAM_BUSY: réessayez 🙂');
  });
});
