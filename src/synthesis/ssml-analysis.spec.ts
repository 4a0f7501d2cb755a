import { ESTIMATE_MS_PER_CHARACTER, MAX_SSML_BYTES, analyzeSsml, estimateTextMs } from './ssml-analysis';

const wrap = (body: string): string =>
  `<speak version="1.0" xmlns="http://www.w3.org/2001/10/synthesis" xml:lang="en-US">${body}</speak>`;

function reason(ssml: string): string {
  const check = analyzeSsml(ssml);
  if (check.ok) throw new Error('expected a refusal');
  return check.reason;
}

function estimate(ssml: string): number {
  const check = analyzeSsml(ssml);
  if (!check.ok) throw new Error(check.reason);
  return check.analysis.estimatedMs;
}

describe('analyzeSsml', () => {
  it.each([
    ['a minimal document', '<speak>hi</speak>'],
    [
      'a full document with a declaration',
      `<?xml version="1.0"?>${wrap('<voice name="en-US-JennyNeural">a &amp; b</voice>')}`,
    ],
    ['an empty speak element', '<speak/>'],
    ['comments and CDATA', wrap('<!-- note --><![CDATA[1 < 2]]>')],
    ['tabs and line breaks', wrap('one\ttwo\r\nthree')],
    ['characters outside the BMP', wrap('😀 ok')],
  ])('accepts %s', (_name, ssml) => {
    expect(analyzeSsml(ssml).ok).toBe(true);
  });

  it.each([
    ['plain text', 'hello', /not well-formed/],
    ['an empty string', '', /not well-formed/],
    ['an unclosed root', '<speak>hi', /unclosed tag/],
    ['mismatched tags', '<speak><voice></speak></voice>', /not well-formed/],
    ['two roots', '<speak>a</speak><speak>b</speak>', /only one root/],
    ['text after the root', '<speak/>tail', /not well-formed/],
    ['another root element', '<voice name="x">hi</voice>', /root element must be <speak>/],
    ['a prefixed root', '<s:speak xmlns:s="urn:x"/>', /root element must be <speak>/],
    ['an undefined entity', '<speak>&lol;</speak>', /undefined entity/],
    ['a DOCTYPE with entities', '<!DOCTYPE speak [<!ENTITY a "aaaa">]><speak>&a;</speak>', /DOCTYPE/],
    ['a raw ampersand', '<speak>fish & chips</speak>', /not well-formed/],
    ['a NUL character', wrap('hi\u0000'), /U\+0000 at index \d+, a character XML 1.0 does not allow/],
    ['U+0001', wrap('\u0001'), /U\+0001/],
    ['a vertical tab', wrap('a\u000bb'), /U\+000B/],
    ['U+FFFE', wrap('\ufffe'), /U\+FFFE/],
    ['U+FFFF', wrap('\uffff'), /U\+FFFF/],
    ['a lone surrogate', wrap('\ud800'), /U\+D800/],
  ])('rejects %s', (_name, ssml, expected) => {
    expect(reason(ssml)).toMatch(expected);
  });

  it('accepts exactly 64 KiB and rejects one byte more (UTF-8 bytes, not characters)', () => {
    const frame = wrap('');
    const fill = (bytes: number): string => wrap('a'.repeat(bytes - Buffer.byteLength(frame)));
    expect(analyzeSsml(fill(MAX_SSML_BYTES)).ok).toBe(true);
    expect(reason(fill(MAX_SSML_BYTES + 1))).toMatch(/65537 bytes/);
    // 'é' is 2 bytes: 40,000 of them are under 64 Ki characters but over 64 KiB.
    expect(analyzeSsml(wrap('é'.repeat(40_000))).ok).toBe(false);
  });

  it('lists the voices a document names', () => {
    const check = analyzeSsml(
      wrap('<voice name="en-US-AvaNeural">a</voice><voice name="de-DE-KatjaNeural">b</voice>'),
    );
    expect(check).toMatchObject({ ok: true, analysis: { voices: ['en-US-AvaNeural', 'de-DE-KatjaNeural'] } });
  });
});

describe('audio estimate', () => {
  it('counts spoken characters at the normal rate, whitespace collapsed', () => {
    expect(estimateTextMs('  hello   world ')).toBe(11 * ESTIMATE_MS_PER_CHARACTER);
    expect(estimate(wrap('<voice name="x">hello world</voice>'))).toBe(11 * ESTIMATE_MS_PER_CHARACTER);
  });

  it('adds breaks by time or strength, each capped at 20 s like the service caps them', () => {
    expect(estimate(wrap('<break time="1500ms"/><break time="2s"/>'))).toBe(3_500);
    expect(estimate(wrap('<break strength="x-strong"/><break/>'))).toBe(1_250 + 750);
    expect(estimate(wrap('<break time="100000s"/>'))).toBe(20_000);
    expect(estimate(wrap('<mstts:silence type="Sentenceboundary" value="3s"/>'))).toBe(3_000);
  });

  it('stretches text inside slow prosody and restores the rate after it', () => {
    const ten = 'abcdefghij';
    const normal = 10 * ESTIMATE_MS_PER_CHARACTER;
    expect(estimate(wrap(`<prosody rate="x-slow">${ten}</prosody>${ten}`))).toBe(2 * normal + normal);
    expect(estimate(wrap(`<prosody rate="-50%">${ten}</prosody>`))).toBe(2 * normal);
    expect(estimate(wrap(`<prosody rate="0.01">${ten}</prosody>`))).toBe(2 * normal); // clamped to 0.5
    expect(estimate(wrap(`<prosody rate="2">${ten}</prosody>`))).toBe(normal / 2);
    expect(estimate(wrap(`<prosody pitch="high">${ten}</prosody>`))).toBe(normal);
  });

  it('does not count text that is not spoken', () => {
    expect(estimate(wrap('<bookmark mark="a"/><mstts:audioduration value="1s"/>hi'))).toBe(
      2 * ESTIMATE_MS_PER_CHARACTER,
    );
  });

  it('counts what <sub alias> speaks, not its content', () => {
    const alias = 'a'.repeat(1_000);
    expect(estimate(wrap(`<sub alias="${alias}">x</sub>`))).toBe(1_000 * ESTIMATE_MS_PER_CHARACTER);
    expect(estimate(wrap(`<prosody rate="2"><sub alias="${alias}">x</sub></prosody>`))).toBe(
      500 * ESTIMATE_MS_PER_CHARACTER,
    );
    expect(estimate(wrap('<sub>xy</sub>'))).toBe(2 * ESTIMATE_MS_PER_CHARACTER);
  });

  it.each([
    ['<audio src>', '<audio src="https://example.com/a.wav">fallback</audio>'],
    ['<mstts:backgroundaudio src>', '<mstts:backgroundaudio src="https://example.com/a.wav"/>'],
  ])('refuses %s: the service would fetch the URL', (_name, body) => {
    expect(reason(wrap(body))).toMatch(/audio from a URL is not supported/);
  });

  it('makes a 2 KB document of long breaks an hour-scale request', () => {
    const ssml = wrap('<break time="20s"/>'.repeat(100));
    expect(Buffer.byteLength(ssml)).toBeLessThan(2_100);
    expect(estimate(ssml)).toBe(2_000_000);
  });
});
