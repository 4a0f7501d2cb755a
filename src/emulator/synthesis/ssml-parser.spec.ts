import { parseBreakTime, parseSsml, SsmlParseError } from './ssml-parser';

const speak = (inner: string, lang = 'en-US'): string =>
  `<speak version="1.0" xmlns="http://www.w3.org/2001/10/synthesis" xml:lang="${lang}">${inner}</speak>`;

describe('parseSsml', () => {
  it('reads the SDK-style document: language, voice and text', () => {
    const parsed = parseSsml(speak('<voice name="en-US-JennyNeural">Hello   world.</voice>'));
    expect(parsed.lang).toBe('en-US');
    expect(parsed.voice).toBe('en-US-JennyNeural');
    expect(parsed.segments).toEqual([
      { kind: 'text', text: 'Hello world.', voice: 'en-US-JennyNeural', lang: 'en-US' },
    ]);
    expect(parsed.text).toBe('Hello world.');
  });

  it('turns <break> into pauses: time in ms or s, strength, default medium', () => {
    const parsed = parseSsml(
      speak(
        '<voice name="v">One<break time="500ms"/>two<break time="1.5s"/>three<break strength="weak"/>four<break/>five</voice>',
      ),
    );
    expect(parsed.segments.map((s) => (s.kind === 'break' ? s.ms : s.text))).toEqual([
      'One',
      500,
      'two',
      1500,
      'three',
      500,
      'four',
      750,
      'five',
    ]);
    expect(parsed.text).toBe('One two three four five');
  });

  it('passes the text of prosody, emphasis, say-as and express-as through; drops bookmarks; uses sub aliases', () => {
    const parsed = parseSsml(
      speak(
        '<voice name="v"><mstts:express-as xmlns:mstts="http://www.w3.org/2001/mstts" style="cheerful">' +
          '<prosody rate="+10%">Quick</prosody> <emphasis>brown</emphasis> <bookmark mark="m"/>' +
          '<say-as interpret-as="cardinal">42</say-as> <sub alias="World Wide Web">WWW</sub> &amp; more</mstts:express-as></voice>',
      ),
    );
    expect(parsed.text).toBe('Quick brown 42 World Wide Web & more');
  });

  it('separates sentences and paragraphs', () => {
    expect(parseSsml(speak('<voice name="v"><s>One</s><s>two</s><p>three</p></voice>')).text).toBe(
      'One two three',
    );
  });

  it('keeps each voice with its text', () => {
    const parsed = parseSsml(speak('<voice name="a">Hi there.</voice><voice name="b">Hello.</voice>'));
    expect(parsed.segments).toEqual([
      { kind: 'text', text: 'Hi there.', voice: 'a', lang: 'en-US' },
      { kind: 'text', text: 'Hello.', voice: 'b', lang: 'en-US' },
    ]);
    expect(parsed.voice).toBe('a');
  });

  it('accepts an XML declaration and CDATA', () => {
    expect(parseSsml(`<?xml version="1.0"?>${speak('<voice name="v"><![CDATA[a < b]]></voice>')}`).text).toBe(
      'a < b',
    );
  });

  it.each([
    ['an unclosed element', speak('<voice name="v">Hello')],
    ['mismatched tags', speak('<voice name="v">Hello</prosody></voice>')],
    ['a root other than speak', '<voice name="v">Hello</voice>'],
    ['text outside the root', `${speak('Hi')}trailing`],
    ['two roots', `${speak('a')}${speak('b')}`],
    ['an empty document', ''],
    ['plain text', 'Hello world'],
    ['an undefined entity', speak('&nbsp;')],
    ['a bad attribute', speak('<voice name=v>Hi</voice>')],
  ])('rejects %s', (_name, ssml) => {
    expect(() => parseSsml(ssml)).toThrow(SsmlParseError);
  });
});

describe('parseBreakTime', () => {
  it.each([
    ['500ms', 500],
    ['2s', 2000],
    ['1.25s', 1250],
    ['300', 300],
    ['99999s', 20000],
  ])('%s -> %d ms', (value, ms) => expect(parseBreakTime(value)).toBe(ms));

  it('returns undefined for something that is no duration', () =>
    expect(parseBreakTime('soon')).toBeUndefined());
});
